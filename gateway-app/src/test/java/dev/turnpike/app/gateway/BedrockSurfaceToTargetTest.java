package dev.turnpike.app.gateway;

import static dev.turnpike.app.gateway.BedrockSurfaceTest.chunks;
import static dev.turnpike.app.gateway.BedrockSurfaceTest.send;
import static dev.turnpike.app.gateway.BedrockSurfaceTest.text;
import static dev.turnpike.app.gateway.BedrockSurfaceTest.textOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeBedrockUpstream;
import dev.turnpike.app.fakes.RecordedRequest;
import dev.turnpike.provider.auth.AwsCredentials;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Claude Code's Bedrock mode against a gateway that holds the AWS credentials, to Bedrock itself (the fake, which
 * recomputes SigV4): the client signs nothing that travels on; the gateway's own signature is what Bedrock checks.
 */
class BedrockSurfaceToTargetTest {
  /** The example credentials of AWS's documentation, never real ones. */
  private static final AwsCredentials GATEWAY = new AwsCredentials("AKIDEXAMPLE",
      "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token-example");
  private static final String MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
  /** A developer's own signature and session token, made for Bedrock and sent to the gateway instead. */
  private static final Map<String, String> CLIENT_AWS = Map.of(
      "authorization", "AWS4-HMAC-SHA256 Credential=AKIACLIENTCLIENT/20261126/us-east-1/bedrock/aws4_request, "
          + "SignedHeaders=host;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      "x-amz-date", "20261126T121901Z",
      "x-amz-security-token", "client-session-token-must-not-travel",
      "anthropic-version", "2023-06-01",
      "content-type", "application/json");
  private static Vertx fakes;
  private static FakeBedrockUpstream bedrock;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    bedrock = new FakeBedrockUpstream(fakes, GATEWAY).start().await();
    gateway = GatewayHarness.start(new JsonObject()
        .put("retries", new JsonObject().put("max_retries", 0))
        .put("providers", new JsonObject().put("bedrock", new JsonObject().put("dialect", "bedrock")
            .put("base_url", bedrock.baseUrl()).put("region", FakeBedrockUpstream.REGION)
            .put("aws", new JsonObject().put("access_key_id", GATEWAY.accessKeyId())
                .put("secret_access_key", GATEWAY.secretAccessKey()).put("session_token", GATEWAY.sessionToken())))));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  @Test
  void should_stream_claude_codes_bedrock_call_through_the_gateways_own_signature() throws Exception {
    String body = ClaudeCodeCaptures.file("cc2.1.332-bedrock_req_with_tool_result.json").getJsonObject("body")
        .encode();

    HttpResponse<byte[]> response = send(gateway, "POST", "/bedrock/model/" + MODEL.replace(":", "%3A")
        + "/invoke-with-response-stream", body, CLIENT_AWS);

    assertEquals(200, response.statusCode(), () -> text(response));
    List<JsonObject> events = chunks(response.body());
    assertEquals("message_stop", events.get(events.size() - 1).getString("type"));
    assertTrue(textOf(events).startsWith(bedrock.marker()), textOf(events));
    RecordedRequest received = bedrock.requests().get(0);
    assertEquals(MODEL, FakeBedrockUpstream.modelOf(received), "the id the URL named, by the router's family rule");
    assertTrue(received.header("authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
    assertEquals(GATEWAY.sessionToken(), received.header("x-amz-security-token"));
    assertFalse(received.contains("AKIACLIENTCLIENT"), "the client's signature travelled");
    assertFalse(received.contains("client-session-token-must-not-travel"), "the client's session token travelled");
    assertEquals("bedrock-2023-05-31", received.json().getString("anthropic_version"));
  }

  @Test
  void should_count_tokens_through_bedrocks_count_tokens() throws Exception {
    String body = ClaudeCodeCaptures.file("cc2.1.332-bedrock_count_tokens_req.json").getJsonObject("body")
        .encode();

    HttpResponse<byte[]> response = send(gateway, "POST", "/bedrock/model/anthropic.claude-sonnet-4-5-20250929-v1:0"
        + "/count-tokens", body, CLIENT_AWS);

    assertEquals(200, response.statusCode(), () -> text(response));
    RecordedRequest received = bedrock.requests().stream().filter(r -> r.path().endsWith("/count-tokens"))
        .findFirst().orElseThrow();
    // The fake counts a quarter of the bytes it received.
    assertEquals(new JsonObject().put("inputTokens", Math.max(1, received.body().length() / 4)),
        new JsonObject(text(response)));
    assertFalse(received.contains("client-session-token-must-not-travel"));
  }
}
