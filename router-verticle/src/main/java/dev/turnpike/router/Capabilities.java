package dev.turnpike.router;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.RequestParams;
import dev.turnpike.contract.Target;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each provider's models can do that Claude Code relies on: tool calls (every agent turn) and images
 * (screenshots, pasted pictures). A model that cannot is never sent a request that needs it, where it would answer
 * without the tool call or fail obscurely: it is left out of the targets, and when no target is left the client
 * gets a 400 naming what is missing. Everything can do everything unless {@code providers.<name>.capabilities}
 * says otherwise, for the provider and per model:
 * {@code "capabilities": {"tools": true, "images": false, "models": {"llama-3.1-8b": {"tools": false}}}}.
 */
public final class Capabilities {
  static final List<String> NAMES = List.of("tools", "images");

  /** What one model can do. */
  record Can(boolean tools, boolean images) {
    static final Can EVERYTHING = new Can(true, true);

    Can with(JsonObject json) {
      return new Can(json.getValue("tools") instanceof Boolean t ? t : tools,
          json.getValue("images") instanceof Boolean i ? i : images);
    }
  }

  private final Map<String, Can> byProvider;
  private final Map<String, Map<String, Can>> byModel;

  private Capabilities(Map<String, Can> byProvider, Map<String, Map<String, Can>> byModel) {
    this.byProvider = byProvider;
    this.byModel = byModel;
  }

  /** Reads every provider's {@code capabilities}; a malformed one is a problem and counts as "can". */
  static Capabilities fromConfig(JsonObject config, List<String> problems) {
    Map<String, Can> byProvider = new HashMap<>();
    Map<String, Map<String, Can>> byModel = new HashMap<>();
    JsonObject providers = config.getValue("providers") instanceof JsonObject p ? p : new JsonObject();
    for (String name : providers.fieldNames()) {
      if (!(providers.getValue(name) instanceof JsonObject provider) || !provider.containsKey("capabilities")) {
        continue;
      }
      String where = "providers." + name + ".capabilities";
      if (!(provider.getValue("capabilities") instanceof JsonObject capabilities)) {
        problems.add(where + " must be an object such as {\"tools\": false}");
        continue;
      }
      check(capabilities, where, true, problems);
      Can providerCan = Can.EVERYTHING.with(capabilities);
      byProvider.put(name, providerCan);
      if (capabilities.getValue("models") instanceof JsonObject models) {
        Map<String, Can> perModel = new HashMap<>();
        for (String model : models.fieldNames()) {
          if (models.getValue(model) instanceof JsonObject modelCan) {
            check(modelCan, where + ".models." + model, false, problems);
            perModel.put(model, providerCan.with(modelCan));
          } else {
            problems.add(where + ".models." + model + " must be an object such as {\"images\": false}");
          }
        }
        byModel.put(name, Map.copyOf(perModel));
      }
    }
    return new Capabilities(Map.copyOf(byProvider), Map.copyOf(byModel));
  }

  private static void check(JsonObject capabilities, String where, boolean modelsAllowed, List<String> problems) {
    for (String key : capabilities.fieldNames()) {
      Object value = capabilities.getValue(key);
      if (modelsAllowed && key.equals("models")) {
        if (!(value instanceof JsonObject)) {
          problems.add(where + ".models must be an object of model name to capabilities");
        }
      } else if (!NAMES.contains(key)) {
        problems.add(where + "." + key + " is not a known capability (known: " + String.join(", ", NAMES)
            + (modelsAllowed ? ", models" : "") + ")");
      } else if (!(value instanceof Boolean)) {
        problems.add(where + "." + key + " must be true or false");
      }
    }
  }

  Can of(Target target) {
    Map<String, Can> perModel = byModel.get(target.provider());
    Can model = perModel == null ? null : perModel.get(target.model());
    return model != null ? model : byProvider.getOrDefault(target.provider(), Can.EVERYTHING);
  }

  /** What {@code params} needs that {@code target} cannot do, or null when it can serve the request. */
  String missing(Target target, RequestParams params) {
    Can can = of(target);
    if (params.hasTools() && !can.tools()) {
      return "tool calls";
    }
    if (params.hasImages() && !can.images()) {
      return "images";
    }
    return null;
  }

  /** The refusal when no target can serve the request. */
  static Failure.FailureException refusal(Target primary, String missing) {
    return new Failure.FailureException(Failure.of(FailureCode.INVALID_REQUEST, "Model '" + primary.qualifiedModel()
        + "' cannot take " + missing + ", which this request needs (Claude Code relies on them); choose a model "
        + "that can, or correct providers." + primary.provider() + ".capabilities"));
  }
}
