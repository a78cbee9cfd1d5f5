package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.Faults;
import dev.turnpike.app.fakes.Reply;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.edge.metrics.MetricLabels;
import dev.turnpike.provider.UpstreamFailures;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Known traffic through fake upstreams (answers, a retry and failover, an upstream 500 retried, a stream of many
 * events, prompt-cache tokens, a rate-limit and a budget refusal), then {@code /metrics} scraped and parsed: the
 * counts per label set, the token sums the fakes reported, the cost at the configured prices, consistent
 * histograms, the budget gauges; then a flood of made-up model names that must add no series but {@code other}'s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsTest {
  private static final String OK = "claude-metrics-ok";
  private static final String SICK = "claude-metrics-sick";
  private static final String SPARE = "claude-metrics-spare";
  private static final String BROKEN = "claude-metrics-broken";
  private static final String CACHED = "claude-metrics-cached";
  private static final int OK_IN = 11;
  private static final int OK_OUT = 7;
  private static final int SPARE_IN = 13;
  private static final int SPARE_OUT = 3;
  /** The cached answer's usage: input, output, cache read, cache write. */
  private static final long[] CACHED_USAGE = {5, 2, 40, 20};
  private static final String REQUESTS = "turnpike_requests_total";

  private static Vertx fakes;
  private static GatewayHarness gateway;
  private static final List<HttpResponse<String>> OK_ANSWERS = new ArrayList<>();
  private static HttpResponse<String> broken;
  private static HttpResponse<String> failedOver;
  private static HttpResponse<String> cached;
  private static HttpResponse<String> streamed;
  private static int rateLimited;
  private static HttpResponse<String> budgetRefused;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    FakeAnthropicUpstream main = new FakeAnthropicUpstream(fakes).script(request -> switch (request.getString(
        "model")) {
      // A stream arrives in pieces, so the edge writes its events apart (events that arrive together go together).
      case OK -> Reply.text("hello from the metrics test, in several small pieces").withUsage(OK_IN, OK_OUT)
          .withFaults(request.getBoolean("stream", false) ? Faults.none().splitEvery(64).delayBetweenPieces(2)
              : Faults.none());
      case SICK -> Reply.error(503, "overloaded_error", "down for now");
      case CACHED -> Reply.raw(200, "application/json", new JsonObject().put("id", "msg_c").put("type", "message")
          .put("role", "assistant").put("model", CACHED)
          .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "cached")))
          .put("stop_reason", "end_turn").putNull("stop_sequence")
          .put("usage", new JsonObject().put("input_tokens", CACHED_USAGE[0]).put("output_tokens", CACHED_USAGE[1])
              .put("cache_read_input_tokens", CACHED_USAGE[2]).put("cache_creation_input_tokens", CACHED_USAGE[3]))
          .encode());
      default -> Reply.text("made up, answered anyway");
    }).start().await();
    FakeAnthropicUpstream backup = new FakeAnthropicUpstream(fakes).script(request ->
        BROKEN.equals(request.getString("model")) ? Reply.error(500, "api_error", "broken")
            : Reply.text("spare").withUsage(SPARE_IN, SPARE_OUT)).start().await();
    gateway = GatewayHarness.start(new JsonObject("""
        {"retries": {"max_retries": 1, "initial_backoff_ms": 1, "max_backoff_ms": 1},
         "metrics": {"budget_refresh_seconds": 1},
         "providers": {
           "main": {"dialect": "anthropic", "base_url": "%s", "keys": [{"value": "sk-main-upstream"}]},
           "backup": {"dialect": "anthropic", "base_url": "%s", "keys": [{"value": "sk-backup-upstream"}],
                      "models": ["claude-metrics-broken"]}},
         "fallbacks": {"main/claude-metrics-sick": ["backup/claude-metrics-spare"]},
         "routing_rules": [{"name": "to-cached", "cel_expression": "model == 'cached'",
                            "targets": [{"provider": "main", "model": "claude-metrics-cached"}]}],
         "pricing": {
           "main/claude-metrics-ok": {"input_per_mtok": 3, "output_per_mtok": 15},
           "main/claude-metrics-cached": {"input_per_mtok": 3, "output_per_mtok": 15, "cache_read_per_mtok": 0.3,
                                          "cache_write_per_mtok": 3.75},
           "backup/claude-metrics-spare": {"input_per_mtok": 1, "output_per_mtok": 5},
           "main/*": {"input_per_mtok": 1, "output_per_mtok": 1},
           "backup/*": {"input_per_mtok": 1, "output_per_mtok": 1}},
         "governance": {"enforce_virtual_keys": true,
           "customers": [{"id": "c-metrics", "budget": {"max_usd": 20, "reset": "1M"}}],
           "teams": [{"id": "t-metrics", "customer": "c-metrics", "budget": {"max_usd": 10, "reset": "1M"}}],
           "virtual_keys": [
             {"id": "vk-metrics", "value": "tp-metrics-secret", "team": "t-metrics",
              "budget": {"max_usd": 5, "reset": "1M"}},
             {"id": "vk-rpm", "value": "tp-rpm-secret", "rate_limit": {"requests_per_minute": 1}},
             {"id": "vk-broke", "value": "tp-broke-secret", "budget": {"max_usd": 0.000001, "reset": "1M"}},
             {"id": "vk-flood", "value": "tp-flood-secret"}]}}"""
        .formatted(main.baseUrl(), backup.baseUrl())));

    for (int i = 0; i < 3; i++) {
      OK_ANSWERS.add(send("tp-metrics-secret", "main/" + OK, false));
    }
    streamed = send("tp-metrics-secret", "main/" + OK, true);
    OK_ANSWERS.add(streamed);
    failedOver = send("tp-metrics-secret", "main/" + SICK, false);
    broken = send("tp-metrics-secret", "backup/" + BROKEN, false);
    cached = send("tp-metrics-secret", "cached", false);
    // One a minute: the second is refused, unless the minute turned in between; then the third is.
    for (int i = 0; i < 3 && rateLimited == 0; i++) {
      HttpResponse<String> response = send("tp-rpm-secret", "main/" + OK, false);
      if (response.statusCode() == 429) {
        rateLimited++;
      } else {
        OK_ANSWERS.add(response);
      }
    }
    budgetRefused = send("tp-broke-secret", "main/" + OK, false);
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  private static HttpResponse<String> send(String key, String model, boolean stream) throws Exception {
    JsonObject body = new JsonObject().put("model", model).put("max_tokens", 64).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
    return gateway.post("/anthropic/v1/messages", body.encode(), Map.of("x-api-key", key,
        "anthropic-version", "2023-06-01", "content-type", "application/json"));
  }

  private static Scrape scrape() throws Exception {
    HttpResponse<String> response = gateway.get("/metrics");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("text/plain; version=0.0.4; charset=utf-8",
        response.headers().firstValue("content-type").orElse(""));
    return Scrape.parse(response.body());
  }

  /** Waits until every request sent so far has been counted: records complete just after the answer's last byte. */
  private static Scrape settledScrape(int requests) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    Scrape scrape = scrape();
    while (scrape.sum(REQUESTS, Map.of()) < requests && System.nanoTime() < deadline) {
      Thread.sleep(20);
      scrape = scrape();
    }
    return scrape;
  }

  private static int sentSoFar() {
    return OK_ANSWERS.size() + 3 + rateLimited + 1; // the failover, the broken one, the cached one; the 402
  }

  /** Price.costNanos: $/MTok is nano-USD per token times 1000, rounded up. */
  private static long nanos(double perMtok, long tokens) {
    return (long) Math.ceil(perMtok * 1000.0 * tokens);
  }

  private static final long OK_NANOS = nanos(3, OK_IN) + nanos(15, OK_OUT);
  private static final long SPARE_NANOS = nanos(1, SPARE_IN) + nanos(5, SPARE_OUT);
  private static final long CACHED_NANOS = nanos(3, CACHED_USAGE[0]) + nanos(15, CACHED_USAGE[1])
      + nanos(0.3, CACHED_USAGE[2]) + nanos(3.75, CACHED_USAGE[3]);

  private static Map<String, String> target(String provider, String model) {
    return Map.of("provider", provider, "model", model);
  }

  @Test
  @Order(1)
  void should_count_requests_per_provider_model_status_error_type_and_rule() throws Exception {
    OK_ANSWERS.forEach(response -> assertEquals(200, response.statusCode(), response.body()));
    assertEquals(200, failedOver.statusCode(), failedOver.body());
    assertEquals(200, cached.statusCode(), cached.body());
    assertEquals(1, rateLimited, "the rate limit refused one request");
    assertEquals(402, budgetRefused.statusCode(), budgetRefused.body());
    Scrape scrape = settledScrape(sentSoFar());

    assertEquals(sentSoFar(), scrape.sum(REQUESTS, Map.of()));
    assertEquals(OK_ANSWERS.size(), scrape.sum(REQUESTS, Map.of("operation", "messages", "provider", "main",
        "model", OK, "status", "200", "error_type", "none", "rule", "none")));
    assertEquals(1, scrape.sum(REQUESTS, Map.of("provider", "backup", "model", SPARE, "status", "200",
        "error_type", "none")), "the failover counts where it was answered");
    assertEquals(1, scrape.sum(REQUESTS, Map.of("provider", "backup", "model", BROKEN,
        "status", String.valueOf(broken.statusCode()),
        "error_type", MetricLabels.failure(UpstreamFailures.codeFor(500)))));
    assertEquals(1, scrape.sum(REQUESTS, Map.of("provider", "main", "model", CACHED, "rule", "to-cached")));
    assertEquals(1, scrape.sum(REQUESTS, Map.of("provider", "none", "model", OK, "status", "429",
        "error_type", "rate_limited")), "refused before any attempt: no provider");
    assertEquals(1, scrape.sum(REQUESTS, Map.of("provider", "none", "status", "402",
        "error_type", "budget_exhausted")));
    assertEquals(1, scrape.sum("turnpike_refusals_total", Map.of("reason", "rate_limit")));
    assertEquals(1, scrape.sum("turnpike_refusals_total", Map.of("reason", "budget")));
    assertEquals(0, scrape.sum("turnpike_refusals_total", Map.of("reason", "overloaded")));

    assertEquals(1, scrape.sum("turnpike_retries_total", target("main", SICK)), "503, then the same target again");
    assertEquals(1, scrape.sum("turnpike_retries_total", target("backup", BROKEN)), "500, then again");
    assertEquals(2, scrape.sum("turnpike_retries_total", Map.of()));
    assertEquals(1, scrape.sum("turnpike_failovers_total", Map.of("from_provider", "main", "to_provider", "backup")));
    assertEquals(1, scrape.sum("turnpike_failovers_total", Map.of()));
    String overloaded = MetricLabels.failure(UpstreamFailures.codeFor(503));
    assertEquals(2, scrape.sum("turnpike_upstream_attempts_total", Map.of("provider", "main", "model", SICK,
        "outcome", overloaded)));
    assertEquals(OK_ANSWERS.size(), scrape.sum("turnpike_upstream_attempts_total", Map.of("model", OK,
        "outcome", "none")));
    assertEquals(0, scrape.sum("turnpike_active_streams", Map.of()));
    assertEquals(0, scrape.sum("turnpike_in_flight_requests", Map.of()));
    assertEquals(1, scrape.sum("turnpike_node_state", Map.of("state", "ready")));
    assertEquals(0, scrape.sum("turnpike_node_state", Map.of("state", "draining")));
    assertEquals(1, scrape.sum("turnpike_cluster_members", Map.of()));
    assertEquals(1, scrape.sum("turnpike_breaker_state", Map.of("provider", "main", "state", "closed")));
  }

  @Test
  @Order(2)
  void should_sum_the_tokens_the_fakes_reported_and_their_cost_at_the_configured_prices() throws Exception {
    Scrape scrape = settledScrape(sentSoFar());
    int ok = OK_ANSWERS.size();
    String tokens = "turnpike_tokens_total";
    assertEquals(ok * OK_IN, scrape.sum(tokens, Map.of("model", OK, "kind", "input")));
    assertEquals(ok * OK_OUT, scrape.sum(tokens, Map.of("model", OK, "kind", "output")));
    assertEquals(SPARE_IN, scrape.sum(tokens, Map.of("provider", "backup", "model", SPARE, "kind", "input")));
    assertEquals(SPARE_OUT, scrape.sum(tokens, Map.of("provider", "backup", "model", SPARE, "kind", "output")));
    assertEquals(CACHED_USAGE[2], scrape.sum(tokens, Map.of("model", CACHED, "kind", "cache_read")));
    assertEquals(CACHED_USAGE[3], scrape.sum(tokens, Map.of("model", CACHED, "kind", "cache_write")));
    assertEquals(CACHED_USAGE[2], scrape.sum(tokens, Map.of("kind", "cache_read")), "no other cache reads");
    assertEquals(0, scrape.sum(tokens, Map.of("model", SICK)), "failed attempts reported nothing");

    String cost = "turnpike_cost_usd_total";
    assertEquals(ok * OK_NANOS / 1e9, scrape.sum(cost, target("main", OK)), 1e-12);
    assertEquals(SPARE_NANOS / 1e9, scrape.sum(cost, target("backup", SPARE)), 1e-12);
    assertEquals(CACHED_NANOS / 1e9, scrape.sum(cost, target("main", CACHED)), 1e-12);
    assertEquals((ok * OK_NANOS + SPARE_NANOS + CACHED_NANOS) / 1e9, scrape.sum(cost, Map.of()), 1e-12);
  }

  @Test
  @Order(3)
  void should_keep_histogram_counts_and_buckets_consistent() throws Exception {
    Scrape scrape = settledScrape(sentSoFar());
    int ok = OK_ANSWERS.size();
    assertHistogram(scrape, "turnpike_upstream_duration_seconds", target("main", OK), ok);
    assertHistogram(scrape, "turnpike_upstream_duration_seconds", target("main", SICK), 2);
    assertHistogram(scrape, "turnpike_upstream_headers_seconds", target("main", OK), ok);
    assertHistogram(scrape, "turnpike_upstream_headers_seconds", target("main", SICK), 0); // an error has no head
    assertHistogram(scrape, "turnpike_time_to_first_token_seconds", target("main", OK), ok);
    assertHistogram(scrape, "turnpike_time_to_first_token_seconds", target("backup", SPARE), 1);
    assertHistogram(scrape, "turnpike_time_to_first_token_seconds", target("backup", BROKEN), 0);
    assertHistogram(scrape, "turnpike_inter_token_latency_seconds", target("main", OK), 1);
    int answered = ok + 2; // the failover's and the cached one
    assertHistogram(scrape, "turnpike_gateway_added_latency_seconds", Map.of("stream", "true"), 1);
    assertHistogram(scrape, "turnpike_gateway_added_latency_seconds", Map.of("stream", "false"), answered - 1);
    assertTrue(streamed.body().split("\n\n").length > 3, "the stream had several events");
  }

  /** {@code _count} as expected, buckets non-decreasing in {@code le}, {@code +Inf} equal to {@code _count}. */
  private static void assertHistogram(Scrape scrape, String name, Map<String, String> labels, long count) {
    assertEquals(count, scrape.sum(name + "_count", labels), name + labels);
    List<Scrape.Sample> buckets = new ArrayList<>(scrape.matching(name + "_bucket", labels));
    assertTrue(buckets.size() > 5, name + " has buckets");
    buckets.sort(Comparator.comparingDouble(b -> Double.parseDouble(b.labels().get("le").replace("+Inf",
        "Infinity"))));
    double previous = 0;
    for (Scrape.Sample bucket : buckets) {
      assertTrue(bucket.value() >= previous, name + " buckets are cumulative: " + buckets);
      previous = bucket.value();
    }
    assertEquals("+Inf", buckets.get(buckets.size() - 1).labels().get("le"));
    assertEquals(count, previous, name + labels + " +Inf bucket");
    if (count > 0) {
      assertTrue(scrape.sum(name + "_sum", labels) > 0, name + "_sum");
    }
  }

  @Test
  @Order(4)
  void should_show_what_is_left_of_each_budget_by_id_never_by_key() throws Exception {
    double spent = (OK_ANSWERS.size() - 1 /* vk-rpm's */ ) * OK_NANOS / 1e9 + SPARE_NANOS / 1e9 + CACHED_NANOS / 1e9;
    Map<String, String> key = Map.of("scope", "virtual_key", "id", "vk-metrics", "window", "1M");
    long deadline = System.nanoTime() + 15_000_000_000L;
    Scrape scrape = scrape();
    // Settlement and the node's budget slices reach the shared counters a moment later; the gauges read them
    // every second (metrics.budget_refresh_seconds).
    while (System.nanoTime() < deadline && Math.abs(scrape.sum("turnpike_budget_remaining_usd", key)
        - (5 - spent)) > 1e-9) {
      Thread.sleep(100);
      scrape = scrape();
    }
    assertEquals(5, scrape.sum("turnpike_budget_limit_usd", key), 1e-12);
    assertEquals(spent, scrape.sum("turnpike_budget_spent_usd", key), 1e-12);
    assertEquals(5 - spent, scrape.sum("turnpike_budget_remaining_usd", key), 1e-9);
    assertEquals(spent, scrape.sum("turnpike_budget_spent_usd", Map.of("scope", "team", "id", "t-metrics")), 1e-12);
    assertEquals(spent, scrape.sum("turnpike_budget_spent_usd", Map.of("scope", "customer", "id", "c-metrics")),
        1e-12);
    assertEquals(10, scrape.sum("turnpike_budget_limit_usd", Map.of("scope", "team", "id", "t-metrics")), 1e-12);
    assertEquals(1, scrape.matching("turnpike_budget_limit_usd", Map.of("id", "vk-broke")).size());
    assertEquals(0, scrape.matching("turnpike_budget_limit_usd", Map.of("id", "vk-flood")).size(), "no budget");
    String text = gateway.get("/metrics").body();
    for (String secret : new String[] {"tp-metrics-secret", "tp-rpm-secret", "sk-main-upstream", "hi"}) {
      assertFalse(text.contains("\"" + secret + "\""), secret + " appears in the metrics");
    }
  }

  @Test
  @Order(5)
  void should_add_no_series_for_a_flood_of_made_up_model_names() throws Exception {
    Set<String> before = turnpikeSeries(settledScrape(sentSoFar()));
    for (int i = 0; i < 200; i++) {
      HttpResponse<String> response = send("tp-flood-secret", "main/made-up-model-" + i, i % 4 == 0);
      assertEquals(200, response.statusCode(), response.body());
    }
    Scrape after = settledScrape(sentSoFar() + 200);
    assertEquals(200, after.sum(REQUESTS, Map.of("provider", "main", "model", "other")));

    Set<String> added = new HashSet<>(turnpikeSeries(after));
    added.removeAll(before);
    assertFalse(added.isEmpty(), "the first 'other' series appear");
    for (String series : added) {
      assertTrue(series.contains("model=other"), "a new series that is not other's: " + series);
    }
    Set<String> names = after.samples().stream().flatMap(s -> s.labels().values().stream())
        .filter(value -> value.contains("made-up")).collect(Collectors.toSet());
    assertEquals(Set.of(), names, "no made-up name became a label value");
  }

  private static Set<String> turnpikeSeries(Scrape scrape) {
    return scrape.samples().stream().filter(s -> s.name().startsWith("turnpike_")).map(Scrape.Sample::series)
        .collect(Collectors.toSet());
  }
}
