package dev.turnpike.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one mapper the provider tests share, and the parsing they do unchecked. */
public final class TestJson {
  public static final ObjectMapper JSON = new ObjectMapper();

  private TestJson() {}

  public static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode read(byte[] json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Serialises and re-reads, so a tree we built compares equal to a parsed one (int vs long nodes). */
  public static JsonNode normalized(JsonNode node) {
    try {
      return JSON.readTree(JSON.writeValueAsBytes(node));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
