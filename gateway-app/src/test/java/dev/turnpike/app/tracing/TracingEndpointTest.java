package dev.turnpike.app.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The endpoint is logged at start: a user, password or query in it is not. */
class TracingEndpointTest {
  @Test
  void should_log_the_endpoint_without_what_could_be_a_credential() {
    assertEquals("https://otlp.example:4318/v1/traces",
        Tracing.withoutCredentials("https://user:pass@otlp.example:4318/v1/traces?api_key=secret"));
    assertEquals("http://127.0.0.1:4317", Tracing.withoutCredentials("http://127.0.0.1:4317"));
  }
}
