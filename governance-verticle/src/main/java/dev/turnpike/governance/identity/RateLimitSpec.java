package dev.turnpike.governance.identity;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Requests and tokens per minute and per day ({@code requests_per_minute}, {@code tokens_per_minute},
 * {@code requests_per_day}, {@code tokens_per_day}); 0 where not limited. Tokens are input plus cache writes plus
 * output (cache reads do not count, as with Anthropic's own limits); a request reserves its estimate and
 * {@code max_tokens} and settles to what it used.
 */
public record RateLimitSpec(long requestsPerMinute, long tokensPerMinute, long requestsPerDay, long tokensPerDay) {
  private static final List<String> KEYS = List.of("requests_per_minute", "tokens_per_minute", "requests_per_day",
      "tokens_per_day");

  public static RateLimitSpec parse(JsonObject owner, String path, List<String> problems) {
    Object value = owner.getValue("rate_limit");
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject limit)) {
      problems.add(path + ".rate_limit must be an object such as {\"requests_per_minute\": 60}");
      return null;
    }
    for (String key : limit.fieldNames()) {
      if (!KEYS.contains(key)) {
        problems.add(path + ".rate_limit." + key + " is not a known setting (known here: " + String.join(", ", KEYS) + ")");
      }
    }
    long[] values = new long[KEYS.size()];
    for (int i = 0; i < KEYS.size(); i++) {
      Object v = limit.getValue(KEYS.get(i));
      if (v == null) {
        continue;
      }
      if (!(v instanceof Number n) || n.doubleValue() < 1 || n.doubleValue() != Math.floor(n.doubleValue())) {
        problems.add(path + ".rate_limit." + KEYS.get(i) + " must be a whole number, 1 or more");
        continue;
      }
      values[i] = n.longValue();
    }
    return new RateLimitSpec(values[0], values[1], values[2], values[3]);
  }
}
