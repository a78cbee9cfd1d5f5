package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.app.fakes.Faults;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Past {@code server.max_in_flight} a node refuses at once with 529 and retry-after, and recovers after. */
class OverloadTest {
  private static Vertx fakes;
  private static FakeAnthropicUpstream upstream;
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    upstream = new FakeAnthropicUpstream(fakes).start().await();
    gateway = GatewayHarness.start(new JsonObject()
        .put("server", new JsonObject().put("max_in_flight", 2))
        .put("providers", new JsonObject().put("anthropic", GatewayHarness.provider("anthropic", upstream.baseUrl(), "sk-upstream"))));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  private static CompletableFuture<HttpResponse<String>> send() {
    String body = new JsonObject().put("model", "claude-haiku-4-5").put("max_tokens", 10)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
    return gateway.http().sendAsync(HttpRequest.newBuilder(URI.create(gateway.url("/anthropic/v1/messages")))
        .timeout(Duration.ofSeconds(20)).header("x-api-key", "k").POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void should_refuse_with_overloaded_error_beyond_the_limit_and_recover_after() throws Exception {
    upstream.faults(Faults.none().delayFirstByte(1500));
    List<CompletableFuture<HttpResponse<String>>> slow = List.of(send(), send());
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (upstream.requests().size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20); // both slow requests are inside the node once the upstream has them
    }

    HttpResponse<String> refused = send().get();

    assertEquals(529, refused.statusCode(), refused.body());
    assertEquals("overloaded_error", new JsonObject(refused.body()).getJsonObject("error").getString("type"));
    assertEquals("1", refused.headers().firstValue("retry-after").orElse(""));
    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> response : slow) {
      statuses.add(response.get().statusCode());
    }
    assertEquals(List.of(200, 200), statuses);

    upstream.faults(Faults.none());
    assertEquals(200, send().get().statusCode(), "slots are given back when requests end");
    assertEquals(200, send().get().statusCode());
  }
}
