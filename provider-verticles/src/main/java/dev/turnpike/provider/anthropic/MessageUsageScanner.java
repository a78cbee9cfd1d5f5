package dev.turnpike.provider.anthropic;

import dev.turnpike.contract.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * Finds the top-level {@code usage} of a whole Anthropic message as its bytes stream past, without holding them:
 * the answer goes to the client chunk by chunk, and only a few counters stay here. A byte-level scanner rather
 * than a JSON parser, because a parser keeps every string token whole (a long text answer would be held in
 * memory once more) and the usage comes last, after the content.
 *
 * <p>Malformed JSON is not this class's business: it then reports what it found, the client gets the bytes.
 */
final class MessageUsageScanner {
  private static final int MAX_KEY = 64;

  private int depth;
  private boolean inString;
  private boolean escaped;
  private final StringBuilder lastString = new StringBuilder();
  private boolean lastStringTooLong;
  /** The key whose value comes next, at the depth it was read. */
  private String key;
  private int usageDepth = -1;
  private String numberKey;
  private long number;
  private boolean inNumber;

  private long input;
  private long output;
  private long cacheRead;
  private long cacheCreation;

  void feed(Buffer chunk) {
    int length = chunk.length();
    for (int i = 0; i < length; i++) {
      accept(chunk.getByte(i));
    }
  }

  Usage usage() {
    endNumber();
    return new Usage(input, output, cacheRead, cacheCreation);
  }

  private void accept(byte b) {
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (b == '\\') {
        escaped = true;
      } else if (b == '"') {
        inString = false;
      } else if (lastString.length() < MAX_KEY) {
        lastString.append((char) (b & 0xff));
      } else {
        lastStringTooLong = true;
      }
      return;
    }
    if (inNumber && (b < '0' || b > '9')) {
      endNumber();
    }
    switch (b) {
      case '"' -> {
        inString = true;
        lastString.setLength(0);
        lastStringTooLong = false;
      }
      case ':' -> key = lastStringTooLong ? null : lastString.toString();
      case '{', '[' -> {
        depth++;
        if (b == '{' && depth == 2 && "usage".equals(key)) {
          usageDepth = depth;
        }
        key = null;
      }
      case '}', ']' -> {
        if (depth == usageDepth) {
          usageDepth = -1;
        }
        depth--;
        key = null;
      }
      case ',' -> key = null;
      default -> {
        if (b >= '0' && b <= '9' && usageDepth > 0 && depth == usageDepth && key != null) {
          if (!inNumber) {
            inNumber = true;
            numberKey = key;
            number = 0;
          }
          if (number < 1_000_000_000_000L) { // a count, not an overflow
            number = number * 10 + (b - '0');
          }
        }
      }
    }
  }

  private void endNumber() {
    if (!inNumber) {
      return;
    }
    inNumber = false;
    switch (numberKey) {
      case "input_tokens" -> input = number;
      case "output_tokens" -> output = number;
      case "cache_read_input_tokens" -> cacheRead = number;
      case "cache_creation_input_tokens" -> cacheCreation = number;
      default -> { }
    }
  }
}
