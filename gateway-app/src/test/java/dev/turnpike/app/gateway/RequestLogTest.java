package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The request log over real HTTP: one record per request (answered, failed over, refused by the upstream, refused
 * at the door), every filter checked against the rows it should keep, paging, sorting, one request in full, stats
 * per group, the live stream, content search, the admin guard, and no secret anywhere in what the log answers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RequestLogTest {
  private static final String ADMIN = "admin-token-for-the-log";
  private static final String ALICE = "tp-vk-alice-secret-value";
  private static final String BOB = "tp-vk-bob-secret-value";
  private static final String PROVIDER_KEY = "sk-upstream-secret";
  private static final String PROMPT_MARK = "purple-elephant";
  private static Vertx fakes;
  private static FakeAnthropicUpstream primary;
  private static FakeAnthropicUpstream rescue;
  private static GatewayHarness gateway;
  private static long startedAt;
  /** Request id by the name the test gives each request. */
  private static final Map<String, String> ids = new HashMap<>();
  private static List<JsonObject> all;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    primary = new FakeAnthropicUpstream(fakes).start().await();
    rescue = new FakeAnthropicUpstream(fakes).script(r -> Reply.text("rescued").withUsage(7, 3)).start().await();
    primary.script(r -> switch (r.getString("model")) {
      case "claude-a" -> Reply.text("answer from a").withUsage(100, 20);
      case "claude-s" -> Reply.text("streamed answer").withUsage(10, 5);
      case "claude-b" -> Reply.error(500, "api_error", "primary is broken");
      default -> Reply.error(400, "invalid_request_error", "this model refuses you");
    });
    gateway = GatewayHarness.start(new JsonObject()
        .put("admin", new JsonObject().put("token", ADMIN))
        .put("request_log", new JsonObject().put("content", true).put("batch_ms", 50))
        .put("retries", new JsonObject().put("max_retries", 1).put("initial_backoff_ms", 10))
        .put("providers", new JsonObject()
            .put("primary", GatewayHarness.provider("anthropic", primary.baseUrl(), PROVIDER_KEY))
            .put("rescue", GatewayHarness.provider("anthropic", rescue.baseUrl(), PROVIDER_KEY)))
        .put("fallbacks", new JsonObject().put("primary/claude-b", new JsonArray().add("rescue/claude-rescue")))
        .put("pricing", new JsonObject()
            .put("primary/*", new JsonObject().put("input_per_mtok", 1.0).put("output_per_mtok", 2.0))
            .put("rescue/*", new JsonObject().put("input_per_mtok", 3.0).put("output_per_mtok", 4.0)))
        .put("governance", new JsonObject().put("enforce_virtual_keys", true)
            .put("customers", new JsonArray().add(new JsonObject().put("id", "acme")))
            .put("teams", new JsonArray().add(new JsonObject().put("id", "t-red").put("customer", "acme"))
                .add(new JsonObject().put("id", "t-blue")))
            .put("virtual_keys", new JsonArray()
                .add(new JsonObject().put("id", "vk-alice").put("value", ALICE).put("team", "t-red"))
                .add(new JsonObject().put("id", "vk-bob").put("value", BOB).put("team", "t-blue")))));
    startedAt = System.currentTimeMillis();
    send("plain", ALICE, "primary/claude-a", false, "sess-1", "hello");
    send("streamed", ALICE, "primary/claude-s", true, "sess-1", "tell me about the " + PROMPT_MARK);
    send("failover", BOB, "primary/claude-b", false, "sess-2", "hello");
    send("refused-upstream", BOB, "primary/claude-c", false, "sess-2", "hello");
    send("refused-door", "tp-not-a-key", "primary/claude-a", false, "sess-3", "hello");
    all = awaitRows(5, "");
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  private static void send(String name, String key, String model, boolean stream, String session, String text)
      throws Exception {
    String body = new JsonObject().put("model", model).put("max_tokens", 64).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", text))).encode();
    HttpResponse<String> response = gateway.post("/anthropic/v1/messages", body, Map.of("x-api-key", key,
        "content-type", "application/json", "x-claude-code-session-id", session,
        "user-agent", "claude-cli/2.1.332 (external, cli)"));
    ids.put(name, response.headers().firstValue("x-turnpike-request-id").orElseThrow());
  }

  private static HttpResponse<String> api(String pathAndQuery) throws Exception {
    return gateway.http().send(HttpRequest.newBuilder(URI.create(gateway.url(pathAndQuery)))
        .header("authorization", "Bearer " + ADMIN).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(String pathAndQuery) throws Exception {
    HttpResponse<String> response = api(pathAndQuery);
    assertEquals(200, response.statusCode(), pathAndQuery + ": " + response.body());
    return new JsonObject(response.body());
  }

  /** Records are written in batches off the hot path: poll until the expected number is there. */
  private static List<JsonObject> awaitRows(int count, String query) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonObject page = null;
    while (System.nanoTime() < deadline) {
      page = json("/api/logs?limit=100" + query);
      if (page.getLong("total") >= count) {
        return rows(page);
      }
      Thread.sleep(50);
    }
    fail("expected " + count + " records, got " + page);
    return null;
  }

  private static List<JsonObject> rows(JsonObject page) {
    List<JsonObject> out = new ArrayList<>();
    page.getJsonArray("data").forEach(row -> out.add((JsonObject) row));
    return out;
  }

  private static JsonObject row(String name) {
    return all.stream().filter(r -> r.getString("id").equals(ids.get(name))).findFirst().orElseThrow();
  }

  private static Set<String> idsOf(List<JsonObject> rows) {
    Set<String> out = new HashSet<>();
    rows.forEach(r -> out.add(r.getString("id")));
    return out;
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Test
  void should_keep_one_record_per_request_however_it_ended() {
    assertEquals(5, all.size());
    assertEquals(Set.copyOf(ids.values()), idsOf(all));

    JsonObject plain = row("plain");
    assertEquals(200, plain.getInteger("status"));
    assertEquals("vk-alice", plain.getString("virtual_key"));
    assertEquals("t-red", plain.getString("team"));
    assertEquals("acme", plain.getString("customer"));
    assertEquals("primary/claude-a", plain.getString("requested_model"));
    assertEquals("primary", plain.getString("provider"));
    assertEquals("claude-a", plain.getString("model"));
    assertEquals(100L, plain.getLong("input_tokens"));
    assertEquals(20L, plain.getLong("output_tokens"));
    assertEquals((100 * 1.0 + 20 * 2.0) / 1e6, plain.getDouble("cost_usd"), 1e-12);
    assertEquals("sess-1", plain.getString("session_id"));
    assertEquals("2.1.332", plain.getString("client_version"));
    assertFalse(plain.getBoolean("stream"));
    assertNull(plain.getString("error_type"));
    assertNotNull(plain.getString("node"));

    JsonObject streamed = row("streamed");
    assertTrue(streamed.getBoolean("stream"));
    assertEquals(10L, streamed.getLong("input_tokens"));
    assertNotNull(streamed.getDouble("ttft_ms"));
    assertTrue(streamed.getDouble("ttft_ms") <= streamed.getDouble("latency_ms"));

    JsonObject failover = row("failover");
    assertEquals(200, failover.getInteger("status"));
    assertEquals(3, failover.getInteger("attempts"), "the primary, once more after a back-off, then the fallback");
    assertEquals("rescue", failover.getString("provider"));
    assertEquals("claude-rescue", failover.getString("model"));
    assertEquals((7 * 3.0 + 3 * 4.0) / 1e6, failover.getDouble("cost_usd"), 1e-12);

    JsonObject refusedUpstream = row("refused-upstream");
    assertEquals(400, refusedUpstream.getInteger("status"));
    assertEquals("upstream_invalid_request", refusedUpstream.getString("error_type"));

    JsonObject refusedDoor = row("refused-door");
    assertEquals(401, refusedDoor.getInteger("status"));
    assertEquals("unauthenticated", refusedDoor.getString("error_type"));
    assertNull(refusedDoor.getString("virtual_key"));
    assertEquals(0, refusedDoor.getInteger("attempts"));
  }

  @Test
  void should_answer_each_filter_with_exactly_the_rows_it_describes() throws Exception {
    filter("virtual_key=vk-alice", r -> "vk-alice".equals(r.getString("virtual_key")), 2);
    filter("team=t-blue", r -> "t-blue".equals(r.getString("team")), 2);
    filter("customer=acme", r -> "acme".equals(r.getString("customer")), 2);
    filter("session_id=sess-2", r -> "sess-2".equals(r.getString("session_id")), 2);
    filter("provider=rescue", r -> "rescue".equals(r.getString("provider")), 1);
    filter("model=rescue/claude-rescue", r -> "claude-rescue".equals(r.getString("model")), 1);
    filter("model=" + enc("primary/claude-b"), r -> "primary/claude-b".equals(r.getString("requested_model")), 1);
    filter("status=4xx", r -> r.getInteger("status") / 100 == 4, 2);
    filter("status=200", r -> r.getInteger("status") == 200, 3);
    filter("error_type=upstream_invalid_request",
        r -> "upstream_invalid_request".equals(r.getString("error_type")), 1);
    filter("error_type=none", r -> r.getString("error_type") == null, 3);
    filter("stream=true", r -> r.getBoolean("stream"), 1);
    filter("min_tokens=100", r -> tokens(r) >= 100, 1);
    filter("max_tokens=15", r -> tokens(r) <= 15, 4);
    filter("min_cost=0.0001", r -> r.getDouble("cost_usd") >= 0.0001, 1);
    filter("max_cost=0.00003", r -> r.getDouble("cost_usd") <= 0.00003, 3);
    filter("from=" + (System.currentTimeMillis() + 3_600_000), r -> false, 0);
    filter("from=" + enc(Instant.ofEpochMilli(startedAt - 60_000).toString()), r -> true, 5);
    filter("to=" + (startedAt - 60_000), r -> false, 0);
    double median = all.stream().mapToDouble(r -> r.getDouble("latency_ms")).sorted().toArray()[2];
    filter("max_latency_ms=" + median, r -> r.getDouble("latency_ms") <= median, 3);
    filter("min_latency_ms=" + median, r -> r.getDouble("latency_ms") >= median, 3);
    filter("q=" + PROMPT_MARK.toUpperCase(), r -> r.getString("id").equals(ids.get("streamed")), 1);
    filter("q=" + enc("100%_"), r -> false, 0); // LIKE's wildcards are searched as text
    filter("virtual_key=vk-alice&stream=false", r -> r.getString("id").equals(ids.get("plain")), 1);
  }

  private static long tokens(JsonObject row) {
    return row.getLong("input_tokens") + row.getLong("output_tokens");
  }

  private static void filter(String query, Predicate<JsonObject> expected, int count) throws Exception {
    JsonObject page = json("/api/logs?limit=100&" + query);
    Set<String> want = idsOf(all.stream().filter(expected).toList());
    assertEquals(count, want.size(), "the test's own expectation for " + query);
    assertEquals(want, idsOf(rows(page)), query);
    assertEquals(count, page.getLong("total"), query);
  }

  @Test
  void should_page_and_sort() throws Exception {
    List<String> paged = new ArrayList<>();
    for (int offset = 0; offset < 6; offset += 2) {
      JsonObject page = json("/api/logs?limit=2&offset=" + offset);
      assertEquals(5L, page.getLong("total"));
      rows(page).forEach(r -> paged.add(r.getString("id")));
    }
    assertEquals(5, paged.size());
    assertEquals(Set.copyOf(ids.values()), Set.copyOf(paged));

    List<JsonObject> byTime = rows(json("/api/logs"));
    for (int i = 1; i < byTime.size(); i++) {
      assertTrue(byTime.get(i - 1).getLong("time") >= byTime.get(i).getLong("time"), "newest first");
    }
    List<JsonObject> byCost = rows(json("/api/logs?sort=cost&order=desc"));
    assertEquals(ids.get("plain"), byCost.get(0).getString("id"), "the most expensive first");
    List<JsonObject> byTokens = rows(json("/api/logs?sort=tokens&order=asc"));
    for (int i = 1; i < byTokens.size(); i++) {
      assertTrue(tokens(byTokens.get(i - 1)) <= tokens(byTokens.get(i)));
    }
    List<JsonObject> byLatency = rows(json("/api/logs?sort=latency&order=desc"));
    for (int i = 1; i < byLatency.size(); i++) {
      assertTrue(byLatency.get(i - 1).getDouble("latency_ms") >= byLatency.get(i).getDouble("latency_ms"));
    }
  }

  @Test
  void should_show_one_request_with_its_attempts_timings_and_content() throws Exception {
    JsonObject failover = json("/api/logs/" + ids.get("failover"));
    JsonArray attempts = failover.getJsonArray("attempt_list");
    assertEquals(3, attempts.size());
    for (int i = 0; i < 2; i++) {
      assertEquals("primary", attempts.getJsonObject(i).getString("provider"));
      assertEquals("upstream_error", attempts.getJsonObject(i).getString("outcome"));
    }
    JsonObject answered = attempts.getJsonObject(2);
    assertEquals("rescue", answered.getString("provider"));
    assertEquals("answered", answered.getString("outcome"));
    assertEquals(7L, answered.getLong("input_tokens"));
    assertEquals(3L, answered.getLong("output_tokens"));
    assertEquals((7 * 3.0 + 3 * 4.0) / 1e6, answered.getDouble("cost_usd"), 1e-12);
    for (int i = 1; i < 3; i++) {
      assertTrue(attempts.getJsonObject(i - 1).getDouble("end_ms") <= attempts.getJsonObject(i)
          .getDouble("start_ms"), "attempts in order");
    }
    JsonObject timings = failover.getJsonObject("timings");
    double admitted = timings.getDouble("admitted_ms");
    double routed = timings.getDouble("routed_ms");
    double firstByte = timings.getDouble("first_byte_ms");
    double end = timings.getDouble("end_ms");
    assertTrue(admitted <= routed && routed <= attempts.getJsonObject(0).getDouble("start_ms")
        && firstByte <= end, timings.encode());

    JsonObject streamed = json("/api/logs/" + ids.get("streamed"));
    JsonObject content = streamed.getJsonObject("content");
    assertTrue(content.getString("request").contains(PROMPT_MARK));
    String answer = content.getString("response");
    assertTrue(answer.startsWith("event: message_start") && answer.contains("event: message_stop"), answer);
    assertTrue(answer.contains("\"text_delta\""), answer);
    assertFalse(content.getBoolean("truncated"));

    HttpResponse<String> missing = api("/api/logs/tp-no-such-request");
    assertEquals(404, missing.statusCode());
    assertEquals("not_found_error", new JsonObject(missing.body()).getJsonObject("error").getString("type"));
  }

  @Test
  void should_sum_each_group_and_give_latency_percentiles() throws Exception {
    JsonArray byKey = json("/api/logs/stats?group_by=virtual_key").getJsonArray("groups");
    JsonObject alice = group(byKey, "vk-alice");
    assertEquals(2L, alice.getLong("requests"));
    assertEquals(110L, alice.getLong("input_tokens"));
    assertEquals(25L, alice.getLong("output_tokens"));
    assertEquals((110 * 1.0 + 25 * 2.0) / 1e6, alice.getDouble("cost_usd"), 1e-12);
    assertEquals(0L, alice.getLong("errors"));
    JsonObject bob = group(byKey, "vk-bob");
    assertEquals(2L, bob.getLong("requests"));
    assertEquals(1L, bob.getLong("errors"));
    assertEquals(1L, group(byKey, "(none)").getLong("requests"));
    assertEquals("vk-alice", byKey.getJsonObject(0).getString("key"), "the biggest spender first");
    JsonObject latency = alice.getJsonObject("latency_ms");
    assertTrue(latency.getDouble("p50") <= latency.getDouble("p90")
        && latency.getDouble("p90") <= latency.getDouble("p99"));
    double slowest = all.stream().filter(r -> "vk-alice".equals(r.getString("virtual_key")))
        .mapToDouble(r -> r.getDouble("latency_ms")).max().orElseThrow();
    assertTrue(latency.getDouble("p99") >= slowest && latency.getDouble("p99") <= slowest * 1.06 + 0.011,
        "p99 " + latency.getDouble("p99") + " is the slowest request's bucket, " + slowest);

    JsonArray byTeam = json("/api/logs/stats?group_by=team").getJsonArray("groups");
    assertEquals(2L, group(byTeam, "t-red").getLong("requests"));
    assertEquals(2L, group(byTeam, "t-blue").getLong("requests"));
    assertEquals(2L, group(json("/api/logs/stats?group_by=session").getJsonArray("groups"), "sess-2")
        .getLong("requests"));
    assertEquals(1L, group(json("/api/logs/stats?group_by=model").getJsonArray("groups"), "rescue/claude-rescue")
        .getLong("requests"));
    String today = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC)
        .format(Instant.ofEpochMilli(row("plain").getLong("time")));
    JsonArray byDay = json("/api/logs/stats?group_by=day").getJsonArray("groups");
    assertEquals(5L, byDay.stream().mapToLong(g -> ((JsonObject) g).getLong("requests")).sum());
    assertNotNull(group(byDay, today));
    JsonArray aliceByMinute = json("/api/logs/stats?group_by=minute&virtual_key=vk-alice").getJsonArray("groups");
    assertEquals(2L, aliceByMinute.stream().mapToLong(g -> ((JsonObject) g).getLong("requests")).sum());
  }

  private static JsonObject group(JsonArray groups, String key) {
    return groups.stream().map(g -> (JsonObject) g).filter(g -> key.equals(g.getString("key"))).findFirst()
        .orElseThrow(() -> new AssertionError("no group " + key + " in " + groups.encode()));
  }

  @Test
  void should_refuse_bad_parameters_with_a_clear_400() throws Exception {
    for (String[] bad : new String[][] {{"sort=bogus", "sort must be one of"}, {"limit=0", "limit must be from 1"},
        {"colour=red", "unknown parameter 'colour'"}, {"status=abc", "status must be"},
        {"from=yesterday", "from must be epoch milliseconds"}, {"min_cost=lots", "min_cost must be a number"}}) {
      HttpResponse<String> response = api("/api/logs?" + bad[0]);
      assertEquals(400, response.statusCode(), bad[0]);
      JsonObject error = new JsonObject(response.body()).getJsonObject("error");
      assertEquals("invalid_request_error", error.getString("type"));
      assertTrue(error.getString("message").contains(bad[1]), error.getString("message"));
    }
    HttpResponse<String> stats = api("/api/logs/stats?group_by=colour");
    assertEquals(400, stats.statusCode());
    assertTrue(stats.body().contains("group_by must be one of"), stats.body());
  }

  @Test
  void should_ask_for_the_admin_token() throws Exception {
    for (String path : List.of("/api/logs", "/api/logs/stats?group_by=team", "/api/logs/" + ids.get("plain"),
        "/api/logs/stream")) {
      HttpResponse<String> response = gateway.get(path);
      assertEquals(401, response.statusCode(), path);
    }
  }

  @Test
  void should_never_show_a_key_value_or_a_provider_key() throws Exception {
    StringBuilder everything = new StringBuilder(json("/api/logs?limit=100").encode());
    for (String id : ids.values()) {
      everything.append(json("/api/logs/" + id).encode());
    }
    everything.append(json("/api/logs/stats?group_by=virtual_key").encode());
    for (String secret : List.of(ALICE, BOB, PROVIDER_KEY, ADMIN, "tp-not-a-key")) {
      assertFalse(everything.toString().contains(secret), secret + " leaked into the request log");
    }
  }

  @Test
  @Order(Integer.MAX_VALUE) // it adds records; the others count the five sent at the start
  void should_stream_new_records_as_they_are_written() throws Exception {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    var stream = gateway.http().sendAsync(HttpRequest.newBuilder(URI.create(gateway.url(
            "/api/logs/stream?virtual_key=vk-alice"))).header("authorization", "Bearer " + ADMIN).GET().build(),
        HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> response = stream.get(20, TimeUnit.SECONDS);
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    Thread reader = new Thread(() -> response.body().forEach(lines::add));
    reader.setDaemon(true);
    reader.start();
    try {
      send("live-bob", BOB, "primary/claude-a", false, "sess-live", "not for this stream: another key");
      send("live", ALICE, "primary/claude-a", false, "sess-live", "hello again");
      String wanted = ids.get("live");
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      String previous = "";
      while (System.nanoTime() < deadline) {
        String line = lines.poll(100, TimeUnit.MILLISECONDS);
        if (line == null) {
          continue;
        }
        if (line.startsWith("data: ")) {
          assertEquals("event: log", previous);
          JsonObject entry = new JsonObject(line.substring(6));
          assertEquals("vk-alice", entry.getString("virtual_key"), "the stream's filter applies");
          if (entry.getString("id").equals(wanted)) {
            assertEquals("sess-live", entry.getString("session_id"));
            return;
          }
        }
        previous = line;
      }
      fail("the new record " + wanted + " never arrived on the stream");
    } finally {
      response.body().close();
    }
  }
}
