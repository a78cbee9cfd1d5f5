package dev.turnpike.contract.config;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code tracing} section: OpenTelemetry spans over OTLP, off by default.
 *
 * @param endpoint the collector: for {@code http/protobuf} the full traces URL
 *     ({@code http://collector:4318/v1/traces}), for {@code grpc} the collector's address
 *     ({@code http://collector:4317})
 * @param headers sent with every export (an API key for Honeycomb or Grafana Cloud); never logged
 * @param sampleRatio the share of requests without an incoming {@code traceparent} that are traced (one with it
 *     follows its sampled flag)
 * @param exportTimeoutMs how long one export may take; also how long a leaving node waits for its last spans
 * @param batchDelayMs how long finished spans wait to be sent together
 * @param maxQueueSize how many finished spans wait at most; beyond that new ones are dropped, never waited for
 */
public record TracingConfig(boolean enabled, Protocol protocol, String endpoint, Map<String, String> headers,
                            String serviceName, double sampleRatio, long exportTimeoutMs, long batchDelayMs,
                            int maxQueueSize) {
  public enum Protocol { HTTP_PROTOBUF, GRPC }

  private static final Set<String> KEYS = Set.of("enabled", "protocol", "endpoint", "headers", "service_name",
      "sample_ratio", "export_timeout_ms", "batch_delay_ms", "max_queue_size");
  public static final TracingConfig DEFAULTS = new TracingConfig(false, Protocol.HTTP_PROTOBUF,
      "http://127.0.0.1:4318/v1/traces", Map.of(), "turnpike", 1.0, 10_000, 5_000, 2_048);

  public static TracingConfig fromJson(JsonObject config, List<String> problems) {
    String path = "tracing";
    JsonObject json = ConfigValues.section(config, path);
    ConfigValues.known(json, path, KEYS, problems);
    String protocolName = ConfigValues.text(json, path, "protocol", "http/protobuf", problems)
        .toLowerCase(Locale.ROOT);
    Protocol protocol = switch (protocolName) {
      case "http/protobuf", "http" -> Protocol.HTTP_PROTOBUF;
      case "grpc" -> Protocol.GRPC;
      default -> {
        problems.add(path + ".protocol must be http/protobuf or grpc, not " + protocolName);
        yield Protocol.HTTP_PROTOBUF;
      }
    };
    String fallbackEndpoint = protocol == Protocol.GRPC ? "http://127.0.0.1:4317" : DEFAULTS.endpoint();
    String endpoint = ConfigValues.text(json, path, "endpoint", fallbackEndpoint, problems);
    if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
      problems.add(path + ".endpoint must be an http(s) URL, not " + endpoint);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    JsonObject headerJson = ConfigValues.section(json, "headers");
    for (String name : headerJson.fieldNames()) {
      if (headerJson.getValue(name) instanceof String value) {
        headers.put(name, value);
      } else {
        problems.add(path + ".headers." + name + " must be a string");
      }
    }
    return new TracingConfig(ConfigValues.flag(json, path, "enabled", DEFAULTS.enabled(), problems), protocol,
        endpoint, Map.copyOf(headers), ConfigValues.text(json, path, "service_name", DEFAULTS.serviceName(), problems),
        ConfigValues.fraction(json, path, "sample_ratio", DEFAULTS.sampleRatio(), problems),
        ConfigValues.number(json, path, "export_timeout_ms", DEFAULTS.exportTimeoutMs(), 100, 600_000, problems),
        ConfigValues.number(json, path, "batch_delay_ms", DEFAULTS.batchDelayMs(), 10, 60_000, problems),
        (int) ConfigValues.number(json, path, "max_queue_size", DEFAULTS.maxQueueSize(), 64, 1_000_000, problems));
  }
}
