package dev.turnpike.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class UpstreamFailuresTest {
  @Test
  void should_mask_cloud_credentials_an_upstream_echoes() {
    // AWS's answer to an unknown key id, and a Google token in an error text.
    String aws = UpstreamFailures.redact("The security token included in the request is invalid: AKIAIOSFODNN7EXAMPLE");
    String google = UpstreamFailures.redact("token ya29.a0AfH6SMBexample-token_value is expired");

    assertFalse(aws.contains("AKIAIOSFODNN7EXAMPLE"), aws);
    assertFalse(google.contains("ya29.a0AfH6SMBexample"), google);
    assertEquals("token [redacted] is expired", google);
  }

  @Test
  void should_keep_ordinary_words() {
    assertEquals("ASIA region is busy", UpstreamFailures.redact("ASIA region is busy"));
  }
}
