package dev.turnpike.app.e2e;

import dev.turnpike.app.fakes.FakeBedrockUpstream;
import dev.turnpike.app.fakes.FakeVertexUpstream;
import dev.turnpike.app.fakes.TestServiceAccount;
import dev.turnpike.provider.auth.AwsCredentials;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The node configurations of the end-to-end tests: one standalone node on 127.0.0.1 and its providers. */
final class NodeConfigs {
  private NodeConfigs() {}

  /** A node on an ephemeral port of 127.0.0.1, no cluster, with these providers; callers add the rest. */
  static JsonObject standalone(JsonObject providers) {
    return new JsonObject()
        .put("server", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("cluster", new JsonObject().put("enabled", false))
        .put("providers", providers);
  }

  /** A provider of {@code dialect} at {@code baseUrl} with one key. */
  static JsonObject keyed(String dialect, String baseUrl, String key) {
    return new JsonObject().put("dialect", dialect).put("base_url", baseUrl)
        .put("keys", new JsonArray().add(new JsonObject().put("value", key)));
  }

  /** The fake Bedrock, in its region, the gateway signing with {@code aws}. */
  static JsonObject bedrock(FakeBedrockUpstream bedrock, AwsCredentials aws) {
    return new JsonObject().put("dialect", "bedrock").put("base_url", bedrock.baseUrl())
        .put("region", FakeBedrockUpstream.REGION).put("aws", new JsonObject()
            .put("access_key_id", aws.accessKeyId()).put("secret_access_key", aws.secretAccessKey()));
  }

  /** The fake Vertex in the account's project and {@code region}, the gateway minting tokens with the account. */
  static JsonObject vertex(FakeVertexUpstream vertex, TestServiceAccount account, String region) {
    return new JsonObject().put("dialect", "vertex").put("base_url", vertex.baseUrl())
        .put("project", account.projectId()).put("region", region)
        .put("google", new JsonObject().put("credentials_json", account.keyFile(vertex.tokenUrl()).encode()));
  }
}
