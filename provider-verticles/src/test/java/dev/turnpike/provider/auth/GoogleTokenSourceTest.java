package dev.turnpike.provider.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.provider.auth.GoogleAssertionSigningTest.Jwt;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.VertxInternal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GoogleTokenSourceTest {
  private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  private static final Instant START = Instant.parse("2030-06-01T12:00:00Z");

  private Vertx vertx;
  private HttpClient client;
  private FakeTokenEndpoint endpoint;
  private GoogleServiceAccount account;
  private final MutableClock clock = new MutableClock(START);

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
    client = vertx.createHttpClient(new HttpClientOptions());
    endpoint = FakeTokenEndpoint.start(vertx);
    account = GoogleServiceAccount.parse(ServiceAccountFiles.file(endpoint.url()).toString());
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void should_post_a_jwt_bearer_grant_with_an_assertion_google_accepts_when_minting() throws Exception {
    String scope = "https://www.googleapis.com/auth/cloud-platform.read-only";
    GoogleTokenSource source = new GoogleTokenSource(vertx, client, account, null, scope, clock);

    String token = await(source.accessToken());

    assertEquals(FakeTokenEndpoint.token(1), token);
    assertEquals(1, endpoint.received().size());
    FakeTokenEndpoint.Received request = endpoint.received().get(0);
    assertEquals("POST", request.method());
    assertEquals(FakeTokenEndpoint.PATH, request.path());
    assertEquals("application/x-www-form-urlencoded", request.headers().get("content-type"));
    assertTrue(request.body().startsWith("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&"),
        request.body());
    Map<String, String> form = form(request.body());
    assertEquals(Set.of("grant_type", "assertion"), form.keySet());
    assertEquals(JWT_BEARER, form.get("grant_type"));

    Jwt jwt = Jwt.parse(form.get("assertion"));
    assertEquals("RS256", jwt.header().path("alg").asText());
    assertEquals("JWT", jwt.header().path("typ").asText());
    assertEquals(ServiceAccountFiles.KEY_ID, jwt.header().path("kid").asText());
    assertEquals(ServiceAccountFiles.CLIENT_EMAIL, jwt.claims().path("iss").asText());
    assertEquals(scope, jwt.claims().path("scope").asText());
    assertEquals(endpoint.url(), jwt.claims().path("aud").asText(), "the account's token_uri, where it was posted");
    assertEquals(START.getEpochSecond(), jwt.claims().path("iat").asLong());
    assertEquals(START.getEpochSecond() + 3600, jwt.claims().path("exp").asLong());
    assertTrue(jwt.verifies(ServiceAccountFiles.KEYS.getPublic()), "RS256 signature under the account's key");
  }

  @Test
  void should_post_to_the_override_and_ask_for_cloud_platform_when_given_a_url_and_no_scope() throws Exception {
    GoogleServiceAccount elsewhere = GoogleServiceAccount.parse(
        ServiceAccountFiles.file("https://oauth2.googleapis.com/token").toString());
    GoogleTokenSource source = new GoogleTokenSource(vertx, client, elsewhere, endpoint.url(), null, clock);

    assertEquals(FakeTokenEndpoint.token(1), await(source.accessToken()));

    Jwt jwt = Jwt.parse(form(endpoint.received().get(0).body()).get("assertion"));
    assertEquals(endpoint.url(), jwt.claims().path("aud").asText());
    assertEquals("https://www.googleapis.com/auth/cloud-platform", jwt.claims().path("scope").asText());
  }

  @Test
  void should_answer_from_the_cache_without_a_request_while_the_token_is_fresh() throws Exception {
    GoogleTokenSource source = source();
    String first = await(source.accessToken());

    clock.advance(Duration.ofMinutes(30));
    String second = await(source.accessToken());

    assertEquals(first, second);
    assertEquals(1, endpoint.received().size(), "no second request");
  }

  @Test
  void should_refresh_once_less_than_five_minutes_are_left_of_an_hour_long_token() throws Exception {
    GoogleTokenSource source = source();
    await(source.accessToken());

    clock.advance(Duration.ofMinutes(55).minusSeconds(1));
    assertEquals(FakeTokenEndpoint.token(1), await(source.accessToken()), "still more than the margin left");
    assertEquals(1, endpoint.received().size());

    clock.advance(Duration.ofSeconds(2));
    assertEquals(FakeTokenEndpoint.token(2), await(source.accessToken()), "inside the margin: refreshed");
    assertEquals(2, endpoint.received().size());
    Jwt jwt = Jwt.parse(form(endpoint.received().get(1).body()).get("assertion"));
    assertEquals(clock.instant().getEpochSecond(), jwt.claims().path("iat").asLong(), "a new assertion");
  }

  @Test
  void should_refresh_with_a_tenth_of_the_lifetime_left_when_that_is_under_five_minutes() throws Exception {
    endpoint.answer((request, n) -> endpoint.issue(request, 100)); // margin: 10 s
    GoogleTokenSource source = source();
    await(source.accessToken());

    clock.advance(Duration.ofSeconds(89));
    assertEquals(FakeTokenEndpoint.token(1), await(source.accessToken()));
    clock.advance(Duration.ofSeconds(2));
    assertEquals(FakeTokenEndpoint.token(2), await(source.accessToken()));
    assertEquals(2, endpoint.received().size());
  }

  @Test
  void should_send_one_request_for_many_callers_who_arrive_while_a_token_is_being_minted() throws Exception {
    Promise<Void> release = Promise.promise();
    endpoint.answer((request, n) -> release.future().onComplete(v -> endpoint.issue(request, 3600)));
    GoogleTokenSource source = source();

    List<Future<String>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(source.accessToken());
    }
    endpoint.awaitReceived(1);
    release.complete();

    for (Future<String> call : calls) {
      assertEquals(FakeTokenEndpoint.token(1), await(call));
    }
    assertEquals(1, endpoint.received().size());
  }

  @Test
  void should_complete_each_callers_future_on_the_callers_own_event_loop() throws Exception {
    Promise<Void> release = Promise.promise();
    endpoint.answer((request, n) -> release.future().onComplete(v -> endpoint.issue(request, 3600)));
    GoogleTokenSource source = source();
    List<String> mismatches = new CopyOnWriteArrayList<>();
    Set<String> callerThreads = ConcurrentHashMap.newKeySet();
    List<Future<String>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Context context = ((VertxInternal) vertx).createEventLoopContext();
      Promise<String> done = Promise.promise();
      context.runOnContext(v -> {
        String caller = Thread.currentThread().getName();
        callerThreads.add(caller);
        source.accessToken().onComplete(outcome -> {
          if (!Thread.currentThread().getName().equals(caller)) {
            mismatches.add(caller + " continued on " + Thread.currentThread().getName());
          }
          done.handle(outcome);
        });
      });
      calls.add(done.future());
    }
    endpoint.awaitReceived(1);
    release.complete();

    for (Future<String> call : calls) {
      assertEquals(FakeTokenEndpoint.token(1), await(call));
    }
    assertTrue(callerThreads.size() > 1, "callers on several loops: " + callerThreads);
    assertEquals(List.of(), mismatches);
    assertEquals(1, endpoint.received().size());
  }

  @Test
  void should_fail_with_upstream_auth_and_no_secret_when_the_endpoint_refuses_the_assertion() throws Exception {
    // The error echoes the assertion, as a careless proxy might: it must not reach the message.
    endpoint.answer((request, n) -> FakeTokenEndpoint.json(request.response(), 400,
        "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature: "
            + form(endpoint.received().get(n - 1).body()).get("assertion") + "\"}"));
    GoogleTokenSource source = source();

    Failure failure = failureOf(source.accessToken());

    assertEquals(FailureCode.UPSTREAM_AUTH, failure.code());
    assertTrue(failure.message().contains("400"), failure.message());
    assertTrue(failure.message().contains("invalid_grant (Invalid JWT Signature"), failure.message());
    assertTrue(failure.message().contains(ServiceAccountFiles.CLIENT_EMAIL), failure.message());
    String assertion = form(endpoint.received().get(0).body()).get("assertion");
    assertNoSecret(failure.message(), assertion);
  }

  @Test
  void should_try_again_on_the_next_call_when_a_mint_failed_with_a_500() throws Exception {
    endpoint.answer((request, n) -> {
      if (n == 1) {
        FakeTokenEndpoint.json(request.response(), 500, "{\"error\":\"internal_failure\"}");
      } else {
        endpoint.issue(request, 3600);
      }
    });
    GoogleTokenSource source = source();

    Failure failure = failureOf(source.accessToken());
    assertEquals(FailureCode.UPSTREAM_AUTH, failure.code());
    assertTrue(failure.message().contains("500"), failure.message());

    assertEquals(FakeTokenEndpoint.token(1), await(source.accessToken()), "the failure was not cached");
    assertEquals(2, endpoint.received().size());
  }

  @Test
  void should_keep_serving_a_valid_token_when_its_refresh_fails_until_it_expires() throws Exception {
    GoogleTokenSource source = source();
    String token = await(source.accessToken());
    endpoint.answer((request, n) -> FakeTokenEndpoint.json(request.response(), 503, "{}"));

    clock.advance(Duration.ofMinutes(58)); // inside the margin, not expired
    assertEquals(token, await(source.accessToken()));
    assertEquals(token, await(source.accessToken()));
    assertEquals(3, endpoint.received().size(), "each call still tried to refresh");

    clock.advance(Duration.ofMinutes(2)); // expired now
    Failure failure = failureOf(source.accessToken());
    assertEquals(FailureCode.UPSTREAM_AUTH, failure.code());
    assertTrue(failure.message().contains("503"), failure.message());
    assertNoSecret(failure.message(), token);
  }

  @Test
  void should_fail_after_the_request_timeout_when_the_endpoint_never_answers_and_recover_next_time()
      throws Exception {
    List<HttpServerRequest> ignored = new CopyOnWriteArrayList<>();
    endpoint.answer((request, n) -> {
      if (n == 1) {
        ignored.add(request); // never answered
      } else {
        endpoint.issue(request, 3600);
      }
    });
    GoogleTokenSource source =
        new GoogleTokenSource(vertx, client, account, null, null, clock, Duration.ofMillis(300));

    long started = System.nanoTime();
    Failure failure = failureOf(source.accessToken());
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertEquals(FailureCode.UPSTREAM_AUTH, failure.code());
    assertTrue(failure.message().contains("did not answer within 300 ms"), failure.message());
    assertTrue(tookMs >= 250 && tookMs < 5000, "took " + tookMs + " ms");
    assertEquals(FakeTokenEndpoint.token(1), await(source.accessToken()));
  }

  @Test
  void should_fail_with_upstream_auth_when_nothing_listens_on_the_token_port() throws Exception {
    HttpServer closed = vertx.createHttpServer().requestHandler(r -> r.response().end());
    closed.listen(0, "127.0.0.1").await();
    String url = "http://127.0.0.1:" + closed.actualPort() + "/token";
    closed.close().await();
    GoogleTokenSource source = new GoogleTokenSource(vertx, client, account, url, null, clock);

    Failure failure = failureOf(source.accessToken());

    assertEquals(FailureCode.UPSTREAM_AUTH, failure.code());
    assertTrue(failure.message().contains("unreachable"), failure.message());
    assertTrue(failure.message().contains(url), failure.message());
  }

  @Test
  void should_fail_when_a_2xx_answer_holds_no_usable_bearer_token() throws Exception {
    Map<String, String> answers = Map.of(
        "not json", "not a JSON object",
        "[]", "not a JSON object",
        "{\"expires_in\":3600,\"token_type\":\"Bearer\"}", "without an access_token",
        "{\"access_token\":\"ya29.secret-token-1\",\"token_type\":\"Bearer\"}", "without a positive expires_in",
        "{\"access_token\":\"ya29.secret-token-2\",\"expires_in\":0}", "without a positive expires_in",
        "{\"access_token\":\"ya29.secret-token-3\",\"expires_in\":3600,\"token_type\":\"mac\"}", "not a Bearer");
    for (Map.Entry<String, String> answer : answers.entrySet()) {
      endpoint.answer((request, n) -> FakeTokenEndpoint.json(request.response(), 200, answer.getKey()));
      GoogleTokenSource source = source();

      Failure failure = failureOf(source.accessToken());

      assertEquals(FailureCode.UPSTREAM_AUTH, failure.code(), answer.getKey());
      assertTrue(failure.message().contains(answer.getValue()), answer.getKey() + " -> " + failure.message());
      assertFalse(failure.message().contains("secret-token"), failure.message());
    }
  }

  @Test
  void should_accept_expires_in_sent_as_a_string_of_digits() throws Exception {
    endpoint.answer((request, n) -> FakeTokenEndpoint.json(request.response(), 200,
        "{\"access_token\":\"ya29.string-expiry\",\"expires_in\":\"100\",\"token_type\":\"bearer\"}"));
    GoogleTokenSource source = source();

    assertEquals("ya29.string-expiry", await(source.accessToken()));
    clock.advance(Duration.ofSeconds(91)); // past 100 s less its 10 s margin
    await(source.accessToken());
    assertEquals(2, endpoint.received().size(), "the lifetime came from the string");
  }

  @Test
  void should_stop_reading_an_answer_larger_than_64_kb() throws Exception {
    for (boolean declared : new boolean[] {false, true}) {
      endpoint.answer((request, n) -> {
        if (declared) {
          FakeTokenEndpoint.json(request.response(), 200, "x".repeat(GoogleTokenEndpoint.MAX_ANSWER_BYTES + 1));
        } else {
          FakeTokenEndpoint.chunked(request.response(), 4 << 20);
        }
      });
      GoogleTokenSource source = source();

      Failure failure = failureOf(source.accessToken());

      assertEquals(FailureCode.UPSTREAM_AUTH, failure.code());
      assertTrue(failure.message().contains("more than 65536 bytes"), declared + ": " + failure.message());
    }
  }

  @Test
  void should_refuse_a_token_url_that_is_not_http() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> new GoogleTokenSource(vertx, client, account, "ftp://127.0.0.1/token", null, clock));
    assertTrue(error.getMessage().contains("http(s)"), error.getMessage());
  }

  private GoogleTokenSource source() {
    return new GoogleTokenSource(vertx, client, account, null, null, clock);
  }

  private static void assertNoSecret(String message, String secret) {
    assertFalse(message.contains(secret), message);
    assertFalse(message.contains("eyJ"), "nothing JWT-shaped: " + message);
    assertFalse(ServiceAccountFiles.quotesKey(message), message);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Failure failureOf(Future<?> future) throws Exception {
    try {
      Object value = await(future);
      return fail("expected a failure, got " + value);
    } catch (ExecutionException e) {
      Failure.FailureException classified = assertInstanceOf(Failure.FailureException.class, e.getCause());
      return classified.failure();
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> fields = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
      if (fields.put(name, URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)) != null) {
        throw new AssertionError("field " + name + " sent twice");
      }
    }
    return fields;
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
