package dev.turnpike.governance.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityOverlayTest {
  private static final JsonObject FILE = new JsonObject("""
      {"enforce_virtual_keys": true,
       "teams": [{"id": "platform"}, {"id": "data"}],
       "virtual_keys": [{"id": "vk-a", "value": "tp-a-value", "team": "platform"}, {"id": "vk-b", "value": "tp-b"}]}""");

  @Test
  void should_replace_add_and_delete_entities_and_keep_a_file_keys_value_unless_rotated() {
    JsonObject merged = IdentityOverlay.merge(FILE, Map.of(
        "vk/vk-a", new JsonObject().put("team", "data").put("disabled", true).encode(),
        "vk/vk-b", new JsonObject().put("value_hash", "ab".repeat(32)).encode(),
        "vk/vk-new", new JsonObject().put("value_hash", "cd".repeat(32)).encode(),
        "team/data", IdentityOverlay.DELETED.encode(),
        "customer/acme", new JsonObject().put("name", "Acme").encode(),
        "salt", "00ff"));
    JsonArray keys = merged.getJsonArray("virtual_keys");
    assertEquals(3, keys.size());
    JsonObject a = keys.getJsonObject(0);
    assertEquals("vk-a", a.getString("id"));
    assertEquals("tp-a-value", a.getString("value"), "a file key changed without rotation keeps its value");
    assertEquals("data", a.getString("team"));
    JsonObject b = keys.getJsonObject(1);
    assertNull(b.getString("value"), "a rotated file key's old value is gone");
    assertEquals("ab".repeat(32), b.getString("value_hash"));
    assertEquals("vk-new", keys.getJsonObject(2).getString("id"));
    assertEquals(new JsonArray().add(new JsonObject().put("id", "platform")), merged.getJsonArray("teams"));
    assertEquals("acme", merged.getJsonArray("customers").getJsonObject(0).getString("id"));
    assertEquals(true, merged.getBoolean("enforce_virtual_keys"), "the rest of the section stays");
    assertEquals(FILE, IdentityOverlay.merge(FILE, Map.of()), "no overlay, the file as it is");
  }
}
