package dev.turnpike.edge;

import dev.turnpike.contract.Failure;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * How an answer is written in the wire form of the surface the client called (ARCHITECTURE.md §3). Providers
 * always answer in Anthropic's form: an event stream of whole SSE events, or the whole message JSON. A dialect
 * turns that into what the client's SDK reads; one instance serves one request.
 */
interface ClientDialect {
  /**
   * A new attempt starts (a retry or a failover, before any byte reached the client): what a dialect held of the
   * last attempt's answer, or knew of its stream, is dropped.
   */
  default void attemptStarted() {
  }

  /**
   * Before the first byte: adjusts the answer's headers, which already hold the provider's (content type
   * included).
   *
   * @param eventStream whether the provider answers with an event stream
   */
  void head(MultiMap headers, boolean eventStream);

  /**
   * The bytes to write for one {@code Data} frame (for an event stream, one or more whole SSE events); empty while
   * the dialect holds the answer to translate it whole.
   *
   * @throws dev.turnpike.contract.Failure.FailureException when the answer cannot be written in this dialect (the
   *     attempt fails as if the provider had failed: before any byte reached the client, another target may answer)
   */
  Buffer data(Buffer bytes, boolean eventStream);

  /**
   * What to write after the last frame when the answer ended well (a held answer's translation), or null.
   *
   * @throws dev.turnpike.contract.Failure.FailureException when the held answer cannot be translated
   */
  default Buffer end() {
    return null;
  }

  /** The bytes that end an event stream the client has already partly received, because of {@code cause}. */
  Buffer streamError(Failure cause);

  /** The status the client gets when {@link #error} writes {@code failure} (the record keeps it). */
  int errorStatus(Failure failure);

  /** Writes {@code failure} to a client that has seen no byte yet; completes once written. */
  Future<Void> error(HttpServerResponse response, Failure failure);
}
