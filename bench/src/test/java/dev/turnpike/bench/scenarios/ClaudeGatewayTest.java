package dev.turnpike.bench.scenarios;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ClaudeGatewayTest {
  @Test
  void theSessionTokenIsTheGatewaysOwnShape() throws Exception {
    String secret = "0123456789abcdef0123456789abcdef-bench";
    String jwt = ClaudeGateway.sessionToken(secret, "http://127.0.0.1:8080", "bench-user", 3600);
    String[] parts = jwt.split("\\.");
    Base64.Decoder d = Base64.getUrlDecoder();
    JsonObject header = new JsonObject(new String(d.decode(parts[0]), StandardCharsets.UTF_8));
    JsonObject claims = new JsonObject(new String(d.decode(parts[1]), StandardCharsets.UTF_8));
    assertEquals("HS256", header.getString("alg"));
    // what the gateway puts in the tokens it mints for this secret (seen in one it minted at sign-in)
    assertEquals("b69b8c79027a71f9", header.getString("kid"));
    assertEquals("claude-gateway", claims.getString("aud"));
    assertEquals("http://127.0.0.1:8080", claims.getString("iss"));
    assertEquals("bench-user", claims.getString("sub"));
    assertEquals(3600, claims.getLong("exp") - claims.getLong("iat"));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    assertArrayEquals(mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII)),
        d.decode(parts[2]));
  }

  @Test
  void itIsAPeerLeftOutOfTheQuickRun() {
    ClaudeGateway s = new ClaudeGateway();
    assertTrue(s.peer());
    assertFalse(s.inQuickRun());
    assertTrue(new Peer().inQuickRun());
  }
}
