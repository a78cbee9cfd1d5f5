package dev.turnpike.edge;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.config.BedrockSurfaceConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * Bedrock's ListInferenceProfiles ({@code GET /bedrock/inference-profiles}, which Claude Code calls with
 * {@code ?type=SYSTEM_DEFINED} at start to choose its model ids) and GetInferenceProfile
 * ({@code GET /bedrock/inference-profiles/{id or ARN}}), answered from the {@code bedrock} config: every profile is
 * {@code SYSTEM_DEFINED} and {@code ACTIVE}, all in one page. Its ARN names the configured region and no account
 * (the form AWS's pattern allows); its one model is the foundation model the id names without its geography prefix.
 */
final class InferenceProfiles {
  static final String LIST_PATH = "/bedrock/inference-profiles";
  private static final String SYSTEM_DEFINED = "SYSTEM_DEFINED";

  private final Buffer systemDefined;
  private final Buffer none = new JsonObject().put("inferenceProfileSummaries", new JsonArray()).toBuffer();
  /** Each profile's GetInferenceProfile answer, under its id and under its ARN. */
  private final Map<String, Buffer> profiles = new HashMap<>();

  InferenceProfiles(BedrockSurfaceConfig config) {
    JsonArray summaries = new JsonArray();
    for (String id : config.inferenceProfiles()) {
      JsonObject profile = profile(config.region(), id);
      summaries.add(profile);
      profiles.put(id, profile.toBuffer());
      profiles.put(profile.getString("inferenceProfileArn"), profile.toBuffer());
    }
    systemDefined = new JsonObject().put("inferenceProfileSummaries", summaries).toBuffer();
  }

  void list(RoutingContext ctx) {
    String type = ctx.request().getParam("type");
    if (type != null && !type.equals(SYSTEM_DEFINED) && !type.equals("APPLICATION")) {
      refuse(ctx, Failure.of(FailureCode.INVALID_REQUEST, "type must be SYSTEM_DEFINED or APPLICATION"));
      return;
    }
    // Turnpike defines every profile it lists; none is an application profile.
    json(ctx, type == null || type.equals(SYSTEM_DEFINED) ? systemDefined : none);
  }

  void get(RoutingContext ctx) {
    String id;
    try {
      id = UrlModelId.decode(ctx.normalizedPath().substring(LIST_PATH.length() + 1));
    } catch (Failure.FailureException e) {
      refuse(ctx, e.failure());
      return;
    }
    Buffer profile = profiles.get(id);
    if (profile == null) {
      refuse(ctx, Failure.of(FailureCode.NOT_FOUND, "No inference profile '" + id + "' (Turnpike lists "
          + "bedrock.inference_profiles)"));
      return;
    }
    json(ctx, profile);
  }

  private static JsonObject profile(String region, String id) {
    String foundationModel = id.startsWith("anthropic.") ? id : id.substring(id.indexOf('.') + 1);
    return new JsonObject()
        .put("inferenceProfileName", id)
        .put("description", "Served by Turnpike")
        .put("inferenceProfileArn", "arn:aws:bedrock:" + region + "::inference-profile/" + id)
        .put("models", new JsonArray().add(new JsonObject()
            .put("modelArn", "arn:aws:bedrock:" + region + "::foundation-model/" + foundationModel)))
        .put("inferenceProfileId", id)
        .put("status", "ACTIVE")
        .put("type", SYSTEM_DEFINED);
  }

  private static void json(RoutingContext ctx, Buffer body) {
    ctx.response().putHeader("content-type", "application/json").end(body);
  }

  private static void refuse(RoutingContext ctx, Failure failure) {
    BedrockErrors.write(ctx.response(), failure);
  }
}
