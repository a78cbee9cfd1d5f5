package dev.turnpike.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.config.GatewayConfig;
import dev.turnpike.contract.config.TracingConfig;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code tracing} section: off by default, headers from the environment, each bad value named. */
class TracingConfigTest {
  private static TracingConfig tracing(Map<String, String> env, String json) {
    return GatewayConfig.fromJson(new ConfigLoader(env::get).prepare(new JsonObject(json))).tracing();
  }

  @Test
  void should_be_off_by_default_with_the_local_collector_as_endpoint() {
    TracingConfig tracing = tracing(Map.of(), "{}");

    assertFalse(tracing.enabled());
    assertEquals(TracingConfig.Protocol.HTTP_PROTOBUF, tracing.protocol());
    assertEquals("http://127.0.0.1:4318/v1/traces", tracing.endpoint());
    assertEquals(1.0, tracing.sampleRatio());
  }

  @Test
  void should_read_grpc_headers_from_the_environment_and_the_batch_settings() {
    TracingConfig tracing = tracing(Map.of("HONEYCOMB_KEY", "hc-secret"), """
        {"tracing": {"enabled": true, "protocol": "grpc", "headers": {"x-honeycomb-team": "env.HONEYCOMB_KEY"},
                     "sample_ratio": 0.25, "batch_delay_ms": 200, "max_queue_size": 4096}}""");

    assertTrue(tracing.enabled());
    assertEquals("http://127.0.0.1:4317", tracing.endpoint(), "gRPC's port when no endpoint is given");
    assertEquals(Map.of("x-honeycomb-team", "hc-secret"), tracing.headers());
    assertEquals(0.25, tracing.sampleRatio());
    assertEquals(200, tracing.batchDelayMs());
    assertEquals(4096, tracing.maxQueueSize());
  }

  @Test
  void should_name_each_bad_value() {
    ConfigException error = assertThrows(ConfigException.class, () -> tracing(Map.of(), """
        {"tracing": {"endpoint": "collector:4317", "sample_ratio": 2, "batch_delay_ms": 0,
                     "max_queue_size": "big", "headers": {"x-key": 7}}}"""));

    String all = String.join("\n", error.problems());
    assertTrue(all.contains("tracing.endpoint must be an http(s) URL"), all);
    assertTrue(all.contains("tracing.sample_ratio must be a number from 0 to 1"), all);
    assertTrue(all.contains("tracing.batch_delay_ms must be a whole number from 10 to 60000"), all);
    assertTrue(all.contains("tracing.max_queue_size must be a whole number from 64 to 1000000"), all);
    assertTrue(all.contains("tracing.headers.x-key must be a string"), all);
  }
}
