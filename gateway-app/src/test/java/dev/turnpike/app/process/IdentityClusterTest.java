package dev.turnpike.app.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Identities changed through one node's admin API, seen by the other node processes of the cluster within a
 * second: a key made on one works on the others, and a key revoked (deleted, disabled or rotated) on one is
 * refused on every node.
 */
@Tag("cluster")
class IdentityClusterTest {
  private static BudgetCluster cluster;
  private static List<NodeProcess> nodes;

  @BeforeAll
  static void start() throws Exception {
    cluster = BudgetCluster.start("identity", 0, 100, 3, null);
    nodes = cluster.nodes();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_apply_a_key_made_on_one_node_and_its_revocation_on_another_to_every_node_within_a_second()
      throws Exception {
    HttpResponse<String> made = admin(nodes.get(0), "POST", "/api/admin/virtual-keys",
        new JsonObject().put("id", "vk-shared"));
    assertEquals(201, made.statusCode(), made.body());
    String value = new JsonObject(made.body()).getString("value");
    for (NodeProcess node : nodes) {
      assertWithinASecond(node, value, status -> status == 200, "the new key works on " + node);
    }

    assertEquals(200, admin(nodes.get(1), "PATCH", "/api/admin/virtual-keys/vk-shared",
        new JsonObject().put("disabled", true)).statusCode());
    for (NodeProcess node : nodes) {
      assertWithinASecond(node, value, status -> status == 403, "disabled on " + node);
    }
    assertEquals(200, admin(nodes.get(2), "PATCH", "/api/admin/virtual-keys/vk-shared",
        new JsonObject().put("disabled", false)).statusCode());
    HttpResponse<String> rotated = admin(nodes.get(2), "POST", "/api/admin/virtual-keys/vk-shared/rotate", null);
    String fresh = new JsonObject(rotated.body()).getString("value");
    for (NodeProcess node : nodes) {
      assertWithinASecond(node, value, status -> status == 401, "the old value is refused on " + node);
      assertWithinASecond(node, fresh, status -> status == 200, "the new value works on " + node);
    }

    assertEquals(200, admin(nodes.get(1), "DELETE", "/api/admin/virtual-keys/vk-shared", null).statusCode());
    for (NodeProcess node : nodes) {
      assertWithinASecond(node, fresh, status -> status == 401, "the deleted key is refused on " + node);
    }
  }

  @Test
  void should_revoke_a_key_from_the_config_file_on_every_node_within_a_second() throws Exception {
    for (NodeProcess node : nodes) {
      assertEquals(200, call(node, "tp-team").statusCode());
    }
    assertEquals(200, admin(nodes.get(2), "PATCH", "/api/admin/virtual-keys/vk-team",
        new JsonObject().put("disabled", true)).statusCode());
    try {
      for (NodeProcess node : nodes) {
        assertWithinASecond(node, "tp-team", status -> status == 403, "the file's key is disabled on " + node);
      }
    } finally {
      admin(nodes.get(0), "PATCH", "/api/admin/virtual-keys/vk-team", new JsonObject().put("disabled", false));
    }
  }

  /**
   * Asks until the answer matches, for at most a second after the change was acknowledged (the assertion is on
   * propagation through the cluster, so the clock starts once the changing node has answered).
   */
  private static void assertWithinASecond(NodeProcess node, String key, IntPredicate wanted, String what)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    int status;
    do {
      status = call(node, key).statusCode();
    } while (!wanted.test(status) && System.nanoTime() < deadline);
    if (!wanted.test(status)) {
      throw new AssertionError(what + ": still " + status + " after a second");
    }
  }

  private static HttpResponse<String> call(NodeProcess node, String key) throws Exception {
    return node.send(HttpRequest.newBuilder(node.uri("/anthropic/v1/messages")).timeout(Duration.ofSeconds(30))
        .header("x-api-key", key).header("anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString(BudgetCluster.body())));
  }

  static HttpResponse<String> admin(NodeProcess node, String method, String path, JsonObject body) throws Exception {
    return node.send(HttpRequest.newBuilder(node.uri(path)).timeout(Duration.ofSeconds(30))
        .header("authorization", "Bearer " + BudgetCluster.ADMIN)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode())));
  }
}
