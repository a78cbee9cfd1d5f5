package dev.turnpike.edge;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.anthropic.TopLevelFields;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the body of a Bedrock or Vertex call into an ordinary Anthropic Messages body (ARCHITECTURE.md §3), so the
 * router, governance, logs and every provider see what the Anthropic surface gets: {@code model} from the URL,
 * {@code stream} from the action (count_tokens has neither it nor {@code max_tokens}), no {@code anthropic_version},
 * and {@code anthropic_beta} moved into the {@code anthropic-beta} header. Every other byte of the body is kept (no tree is built).
 */
final class CloudCanonicaliser {
  static final String BETA_HEADER = "anthropic-beta";
  private static final int MAX_BETAS = 64;
  private static final int MAX_BETA_CHARS = 128;
  private static final Set<String> REMOVED = Set.of("anthropic_version", "anthropic_beta");
  /** Anthropic's count_tokens takes neither {@code stream} nor {@code max_tokens} ("Extra inputs are not permitted"). */
  private static final Set<String> REMOVED_WHEN_COUNTING = Set.of("anthropic_version", "anthropic_beta", "stream",
      "max_tokens");

  private CloudCanonicaliser() {}

  /**
   * @param model the model named by the URL, or null to keep the body's own (Vertex's count-tokens)
   * @param stream whether a {@link Operation#MESSAGES} answer streams
   * @throws Failure.FailureException (400) when {@code anthropic_beta} is not a list of beta names
   */
  static CanonicalRequest canonical(Buffer body, MultiMap clientHeaders, String model, Operation operation,
                                    boolean stream) {
    List<Object> bodyBetas = betas(TopLevelFields.raw(body, "anthropic_beta"));
    Map<String, String> set = new LinkedHashMap<>();
    if (model != null) {
      set.put("model", TopLevelFields.quoted(model));
    }
    boolean counting = operation == Operation.COUNT_TOKENS;
    if (!counting) {
      set.put("stream", Boolean.toString(stream));
    }
    Buffer canonical = TopLevelFields.patch(body, set, counting ? REMOVED_WHEN_COUNTING : REMOVED);
    return new CanonicalRequest(canonical, withBetas(clientHeaders, bodyBetas), null);
  }

  /**
   * A copy of {@code clientHeaders} whose {@code anthropic-beta} also names {@code betas}: the header's own first,
   * each once, comma-joined. Without betas the header is left as the client sent it.
   *
   * @throws Failure.FailureException (400) when a beta is no beta name
   */
  static MultiMap withBetas(MultiMap clientHeaders, Collection<?> betas) {
    MultiMap headers = HttpHeaders.headers().addAll(clientHeaders);
    if (betas.isEmpty()) {
      return headers;
    }
    if (betas.size() > MAX_BETAS) {
      throw invalid("anthropic_beta must be a list of at most " + MAX_BETAS + " beta names");
    }
    Set<String> merged = new LinkedHashSet<>();
    for (String value : clientHeaders.getAll(BETA_HEADER)) {
      for (String beta : value.split(",")) {
        if (!beta.isBlank()) {
          merged.add(beta.trim());
        }
      }
    }
    for (Object beta : betas) {
      // A beta name becomes part of a header: nothing that could end or split it.
      if (!(beta instanceof String name) || name.isEmpty() || name.length() > MAX_BETA_CHARS
          || name.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f || c == ',')) {
        throw invalid("anthropic_beta must hold beta names (1 to " + MAX_BETA_CHARS
            + " visible ASCII characters, no commas), such as \"interleaved-thinking-2025-05-14\"");
      }
      merged.add(name);
    }
    headers.set(BETA_HEADER, String.join(",", merged));
    return headers;
  }

  /** The values of an {@code anthropic_beta} field (raw JSON text, null when absent); checked by withBetas. */
  private static List<Object> betas(String raw) {
    if (raw == null || raw.equals("null")) {
      return List.of();
    }
    try {
      if (raw.startsWith("[")) {
        return new JsonArray(raw).getList();
      }
    } catch (DecodeException e) {
      // refused below
    }
    throw invalid("anthropic_beta must be a list of at most " + MAX_BETAS + " beta names");
  }

  private static Failure.FailureException invalid(String message) {
    return new Failure.FailureException(Failure.of(FailureCode.INVALID_REQUEST, message));
  }
}
