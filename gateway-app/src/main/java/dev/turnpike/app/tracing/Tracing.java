package dev.turnpike.app.tracing;

import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.contract.config.TracingConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The node's OpenTelemetry traces (ARCHITECTURE.md §13): an SDK tracer provider of its own (never the global one,
 * so several nodes can share a JVM) exporting over OTLP through a batch processor, and the record reader that
 * turns each completed request into spans. The batch processor's queue is bounded and dropping: the event loop
 * that hands it a span never waits for the collector.
 */
public final class Tracing {
  private static final System.Logger LOG = System.getLogger(Tracing.class.getName());
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> SERVICE_INSTANCE = AttributeKey.stringKey("service.instance.id");

  private final SdkTracerProvider provider;
  private final ExchangeSpans spans;
  private final long shutdownTimeoutMs;

  private Tracing(SdkTracerProvider provider, ExchangeSpans spans, long shutdownTimeoutMs) {
    this.provider = provider;
    this.spans = spans;
    this.shutdownTimeoutMs = shutdownTimeoutMs;
  }

  /**
   * Starts exporting. A request with an incoming {@code traceparent} follows its sampled flag; one without is
   * traced with the probability {@code sample_ratio}.
   *
   * @throws IllegalArgumentException when the exporter refuses the endpoint
   */
  public static Tracing start(TracingConfig config, String nodeId, Map<String, ProviderConfig> providers) {
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
        SERVICE_NAME, config.serviceName(), SERVICE_INSTANCE, nodeId)));
    BatchSpanProcessor batches = BatchSpanProcessor.builder(exporter(config))
        .setScheduleDelay(Duration.ofMillis(config.batchDelayMs()))
        .setMaxQueueSize(config.maxQueueSize())
        .setMaxExportBatchSize(Math.min(512, config.maxQueueSize()))
        .setExporterTimeout(Duration.ofMillis(config.exportTimeoutMs()))
        .build();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(resource)
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRatio())))
        .addSpanProcessor(batches)
        .build();
    LOG.log(System.Logger.Level.INFO, "Tracing: spans to {0} over {1}, {2} of requests without a traceparent",
        withoutCredentials(config.endpoint()), config.protocol() == TracingConfig.Protocol.GRPC ? "gRPC" : "HTTP/protobuf",
        config.sampleRatio());
    return new Tracing(provider, new ExchangeSpans(provider.get("dev.turnpike.gateway"), providers),
        config.exportTimeoutMs());
  }

  /** The endpoint as logged: a user or query in the URL could be a credential. */
  static String withoutCredentials(String endpoint) {
    try {
      URI uri = URI.create(endpoint);
      return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
          + (uri.getRawPath() == null ? "" : uri.getRawPath());
    } catch (IllegalArgumentException e) {
      return "(an endpoint that is not a URL)";
    }
  }

  /** The headers (API keys) go to the exporter and nowhere else. */
  private static SpanExporter exporter(TracingConfig config) {
    Duration timeout = Duration.ofMillis(config.exportTimeoutMs());
    if (config.protocol() == TracingConfig.Protocol.GRPC) {
      var builder = OtlpGrpcSpanExporter.builder().setEndpoint(config.endpoint()).setTimeout(timeout);
      config.headers().forEach(builder::addHeader);
      return builder.build();
    }
    var builder = OtlpHttpSpanExporter.builder().setEndpoint(config.endpoint()).setTimeout(timeout);
    config.headers().forEach(builder::addHeader);
    return builder.build();
  }

  /** Reads each completed record on its event loop: draws its spans and queues them, nothing more. */
  public Consumer<ExchangeRecord> reader() {
    return spans;
  }

  /**
   * Sends what is queued and stops, waiting at most {@code export_timeout_ms}; never fails and never blocks the
   * calling thread. A collector that does not answer costs the spans still queued, not the node's exit.
   */
  public Future<Void> shutdown(Vertx vertx) {
    Promise<Void> done = Promise.promise();
    // The exporter's thread finishes the shutdown: what follows runs back on a Vert.x thread.
    io.vertx.core.Context context = vertx.getOrCreateContext();
    CompletableResultCode result = provider.shutdown();
    long timer = vertx.setTimer(shutdownTimeoutMs, id -> {
      if (done.tryComplete()) {
        LOG.log(System.Logger.Level.WARNING, "Tracing: the last spans were not exported within {0} ms",
            shutdownTimeoutMs);
      }
    });
    result.whenComplete(() -> {
      vertx.cancelTimer(timer);
      if (!result.isSuccess()) {
        LOG.log(System.Logger.Level.WARNING, "Tracing: the last spans could not be exported");
      }
      context.runOnContext(v -> done.tryComplete());
    });
    return done.future();
  }
}
