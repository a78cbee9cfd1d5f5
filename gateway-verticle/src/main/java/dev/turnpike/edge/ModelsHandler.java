package dev.turnpike.edge;

import dev.turnpike.contract.config.GatewayConfig;
import dev.turnpike.contract.config.ProviderConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/** The configured models, as {@code provider/model}, in Anthropic's and OpenAI's list shapes. */
final class ModelsHandler {
  private final Buffer anthropicList;
  private final Buffer openAiList;

  ModelsHandler(GatewayConfig config) {
    List<String[]> models = new ArrayList<>();
    for (ProviderConfig provider : config.providers().values()) {
      for (String model : provider.models()) {
        models.add(new String[] {provider.name(), provider.name() + "/" + model});
      }
    }
    JsonArray anthropic = new JsonArray();
    JsonArray openAi = new JsonArray();
    for (String[] model : models) {
      anthropic.add(new JsonObject().put("type", "model").put("id", model[1]).put("display_name", model[1])
          .put("created_at", "1970-01-01T00:00:00Z"));
      openAi.add(new JsonObject().put("id", model[1]).put("object", "model").put("created", 0)
          .put("owned_by", model[0]));
    }
    anthropicList = new JsonObject().put("data", anthropic).put("has_more", false)
        .put("first_id", models.isEmpty() ? null : models.get(0)[1])
        .put("last_id", models.isEmpty() ? null : models.get(models.size() - 1)[1]).toBuffer();
    openAiList = new JsonObject().put("object", "list").put("data", openAi).toBuffer();
  }

  void anthropic(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "application/json").end(anthropicList);
  }

  void openAi(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "application/json").end(openAiList);
  }
}
