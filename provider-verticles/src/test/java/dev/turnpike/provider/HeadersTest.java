package dev.turnpike.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/** What a same-family upstream sees of the client's headers (ARCHITECTURE.md §8). */
class HeadersTest {

  @Test
  void should_drop_a_bedrock_clients_signature_and_sdk_headers() {
    // As the AWS SDK for JavaScript signs a Bedrock call (fixtures/claude-code/cc2.1.197-bedrock-sigv4-probe and
    // cc2.1.332-bedrock_count_tokens_req).
    MultiMap client = MultiMap.caseInsensitiveMultiMap()
        .add("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKE/20261126/us-east-1/bedrock/"
            + "aws4_request, SignedHeaders=host;x-amz-date, Signature=3c87e76b")
        .add("X-Amz-Date", "20261126T121901Z")
        .add("x-amz-content-sha256", "539ccb9e6a363cb842c8840f4d88a4404644c59c200d37e4a6d9797f76edc601")
        .add("x-amz-security-token", "FwoGZXIvYXdzEFAKE")
        .add("x-amz-user-agent", "aws-sdk-js/3.936.0")
        .add("amz-sdk-invocation-id", "2cc03a25-2962-41e0-9f82-2c7d4ae305f5")
        .add("amz-sdk-request", "attempt=1; max=3")
        .add("X-Amzn-Bedrock-Trace", "ENABLED")
        .add("anthropic-version", "2023-06-01")
        .add("anthropic-beta", "claude-code-20250219")
        .add("x-claude-code-session-id", "s-1");

    MultiMap forwarded = Headers.forwardable(client);

    for (String name : new String[] {"authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token",
        "x-amz-user-agent", "amz-sdk-invocation-id", "amz-sdk-request", "x-amzn-bedrock-trace"}) {
      assertNull(forwarded.get(name), name + " was forwarded");
    }
    assertEquals("2023-06-01", forwarded.get("anthropic-version"));
    assertEquals("claude-code-20250219", forwarded.get("anthropic-beta"));
    assertEquals("s-1", forwarded.get("x-claude-code-session-id"));
    assertEquals(3, forwarded.size());
  }

  @Test
  void should_drop_a_vertex_clients_google_headers() {
    MultiMap client = MultiMap.caseInsensitiveMultiMap()
        .add("Authorization", "Bearer ya29.a0-google-access-token")
        .add("x-goog-api-client", "gl-node/26.12.1 auth/9.15.1")
        .add("X-Goog-User-Project", "my-proj")
        .add("x-goog-api-key", "AIzaFAKE")
        .add("x-stainless-lang", "js");

    MultiMap forwarded = Headers.forwardable(client);

    assertNull(forwarded.get("authorization"));
    assertNull(forwarded.get("x-goog-api-client"));
    assertNull(forwarded.get("x-goog-user-project"));
    assertNull(forwarded.get("x-goog-api-key"));
    assertEquals("js", forwarded.get("x-stainless-lang"), "ordinary client headers still pass");
  }

  @Test
  void should_still_drop_the_turnpike_and_proxy_headers() {
    MultiMap client = MultiMap.caseInsensitiveMultiMap().add("x-turnpike-vk", "tp-vk-secret")
        .add("x-forwarded-for", "10.0.0.1").add("x-api-key", "sk-client").add("cookie", "a=b");

    assertEquals(0, Headers.forwardable(client).size());
  }
}
