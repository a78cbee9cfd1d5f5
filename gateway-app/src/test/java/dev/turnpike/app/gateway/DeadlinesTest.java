package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.app.fakes.FakeAnthropicUpstream;
import dev.turnpike.contract.Addresses;
import dev.turnpike.contract.ExchangeRecord;
import dev.turnpike.contract.FailureCode;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A request always ends, even when a verticle never answers or throws: the promise it waits on has a deadline
 * ({@code timeouts.internal_ms}) and the client gets a 500 {@code api_error} naming its request id. Stand-ins for
 * a buggy verticle are registered next to the real ones (the bus then alternates between them).
 */
class DeadlinesTest {
  private static Vertx fakes;
  private static GatewayHarness gateway;
  private static Records records;

  @BeforeAll
  static void start() throws Exception {
    fakes = Vertx.vertx();
    FakeAnthropicUpstream upstream = new FakeAnthropicUpstream(fakes).start().await();
    gateway = GatewayHarness.start(new JsonObject()
        .put("timeouts", new JsonObject().put("internal_ms", 300))
        .put("providers", new JsonObject()
            .put("anthropic", GatewayHarness.provider("anthropic", upstream.baseUrl(), "sk-a"))));
    records = Records.of(gateway.node().vertx());
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    fakes.close().await();
  }

  private static String request() {
    return new JsonObject().put("model", "claude-x").put("max_tokens", 16)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();
  }

  /** Registers {@code behaviour} on the address and each per-loop variant of it, beside the real consumers. */
  private static List<MessageConsumer<Object>> standIn(String address, io.vertx.core.Handler<io.vertx.core.eventbus.Message<Object>> behaviour) {
    List<MessageConsumer<Object>> consumers = new ArrayList<>();
    Vertx node = gateway.node().vertx();
    consumers.add(node.eventBus().localConsumer(address, behaviour));
    for (int loop = 0; loop < 2; loop++) {
      consumers.add(node.eventBus().localConsumer(address + "@" + loop, behaviour));
    }
    consumers.forEach(c -> c.completion().await());
    return consumers;
  }

  private static void assertEveryRequestEnds(String what) throws Exception {
    int internalErrors = 0;
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> response = gateway.messages(request());
      String requestId = response.headers().firstValue("x-turnpike-request-id").orElseThrow();
      if (response.statusCode() == 500) {
        internalErrors++;
        JsonObject error = new JsonObject(response.body()).getJsonObject("error");
        assertEquals("api_error", error.getString("type"));
        assertTrue(error.getString("message").contains(requestId), error.getString("message"));
        assertTrue(!error.getString("message").contains("Exception"), "no internals: " + error);
        ExchangeRecord record = records.of(requestId);
        assertEquals(FailureCode.INTERNAL, record.failure());
      } else {
        assertEquals(200, response.statusCode(), response.body());
      }
    }
    assertTrue(internalErrors > 0, what + ": the stand-in was never asked (test bug)");
  }

  @Test
  void should_end_with_500_naming_the_request_when_the_router_never_answers() throws Exception {
    List<MessageConsumer<Object>> silent = standIn(Addresses.ROUTER_ROUTE, message -> { });
    try {
      assertEveryRequestEnds("silent router");
    } finally {
      silent.forEach(MessageConsumer::unregister);
    }
  }

  @Test
  void should_end_with_500_naming_the_request_when_governance_throws() throws Exception {
    List<MessageConsumer<Object>> throwing = standIn(Addresses.GOVERNANCE_ADMIT, message -> {
      throw new IllegalStateException("a bug in governance");
    });
    try {
      assertEveryRequestEnds("throwing governance");
    } finally {
      throwing.forEach(MessageConsumer::unregister);
    }
    assertEquals(200, gateway.messages(request()).statusCode(), "the node goes on serving");
  }
}
