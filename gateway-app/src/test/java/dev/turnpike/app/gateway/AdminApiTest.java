package dev.turnpike.app.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With {@code admin.token} set, the admin API answers only to that bearer token. */
class AdminApiTest {
  private static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    gateway = GatewayHarness.start(new JsonObject().put("admin", new JsonObject().put("token", "adm-secret"))
        .put("providers", new JsonObject()));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  @Test
  void should_refuse_usage_without_the_admin_token() throws Exception {
    HttpResponse<String> response = gateway.get("/api/admin/usage");

    assertEquals(401, response.statusCode());
    assertEquals("authentication_error", new JsonObject(response.body()).getJsonObject("error").getString("type"));
  }

  @Test
  void should_refuse_usage_with_a_wrong_token() throws Exception {
    assertEquals(401, gateway.post("/api/admin/usage", "", Map.of("authorization", "Bearer adm-secreT"))
        .statusCode());
  }

  @Test
  void should_answer_usage_with_the_admin_token() throws Exception {
    HttpResponse<String> response = gateway.http().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gateway.url("/api/admin/usage"))).header("authorization", "Bearer adm-secret").build(),
        HttpResponse.BodyHandlers.ofString());

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(new JsonObject(response.body()).containsKey("totals"));
  }
}
