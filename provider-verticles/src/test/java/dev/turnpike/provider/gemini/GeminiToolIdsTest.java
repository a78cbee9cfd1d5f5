package dev.turnpike.provider.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GeminiToolIdsTest {
  private static final Pattern ANTHROPIC_ID = Pattern.compile("^[a-zA-Z0-9_-]+$");

  @Test
  void should_return_signature_and_call_id_exactly_when_decoding_what_was_encoded() {
    Random random = new Random(7);
    for (int length = 0; length < 200; length += 7) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      String signature = length == 0 ? null : Base64.getEncoder().encodeToString(bytes); // '+', '/', '='
      String callId = length % 2 == 0 ? null : "call-" + length + "-\u00e9";
      String id = GeminiToolIds.encode(random.nextLong(), callId, signature);

      assertTrue(ANTHROPIC_ID.matcher(id).matches(), id);
      assertEquals(new GeminiToolIds.Carried(callId, signature), GeminiToolIds.decode(id));
    }
  }

  @Test
  void should_carry_nothing_when_the_id_was_made_elsewhere() {
    assertEquals(GeminiToolIds.Carried.NOTHING, GeminiToolIds.decode("toolu_01A09q90qw90lq917835lq9"));
    assertEquals(GeminiToolIds.Carried.NOTHING, GeminiToolIds.decode("call_abc"));
    assertEquals(GeminiToolIds.Carried.NOTHING, GeminiToolIds.decode("toolu_gm0123"));
    assertEquals(GeminiToolIds.Carried.NOTHING, GeminiToolIds.decode("toolu_gm0123456789abcdefXYZ"));
    assertEquals(GeminiToolIds.Carried.NOTHING, GeminiToolIds.decode(null));
  }

  @Test
  void should_make_distinct_ids_when_nonces_differ() {
    assertTrue(!GeminiToolIds.encode(1, null, "c2ln").equals(GeminiToolIds.encode(2, null, "c2ln")));
  }
}
