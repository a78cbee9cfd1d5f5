package dev.turnpike.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/** Which header is the client's credential, in each of Claude Code's modes. */
class CredentialsTest {

  @Test
  void should_not_take_an_aws_signature_for_a_key() throws Exception {
    String signature = ClaudeCodeCaptures.request("cc2.1.197-bedrock-sigv4-probe.request.json")
        .getJsonObject("headers").getString("authorization");

    assertNull(Credentials.of(MultiMap.caseInsensitiveMultiMap().add("Authorization", signature)
        .add("x-amz-security-token", "FwoGZXIvYXdzEFAKE")));
  }

  @Test
  void should_take_a_bedrock_bearer_token_or_a_custom_header_for_a_virtual_key() {
    // AWS_BEARER_TOKEN_BEDROCK arrives as a bearer token; ANTHROPIC_CUSTOM_HEADERS adds x-turnpike-vk.
    assertEquals("tp-vk-1", Credentials.of(MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer tp-vk-1")));
    assertEquals("tp-vk-2", Credentials.of(MultiMap.caseInsensitiveMultiMap()
        .add("authorization", "AWS4-HMAC-SHA256 Credential=AKIA/x, Signature=00").add("X-Turnpike-Vk", " tp-vk-2 ")));
  }
}
