package dev.turnpike.contract;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Asks a provider verticle to call its upstream. The provider answers only with {@link StreamFrame}s sent to
 * {@link Addresses#stream(String)} of {@code streamId}, so ordering is one sequence, and it listens for
 * {@link StreamControl} on {@link Addresses#streamControl(String)} of the same id.
 *
 * @param streamId unique per attempt (a failover retry gets a new one), so late frames of an abandoned
 *     attempt cannot reach the next
 * @param body the client's request bytes, untouched (Anthropic Messages JSON)
 * @param clientHeaders the client's request headers; the provider decides which to forward (never its keys)
 * @param query the client's query string without {@code ?}, or null
 * @param cancelled completes when the edge no longer wants this attempt (client gone, edge deadline, the
 *     attempt's frames no longer read). The edge completes it for every attempt once the attempt is over, so a
 *     provider may rely on it to release what it holds; completing it after the provider ended is harmless.
 */
public record InvokeRequest(String requestId, String streamId, Operation operation, Target target,
                            RequestParams params, Buffer body, MultiMap clientHeaders, String query,
                            Future<Void> cancelled) {
  @Override
  public String toString() {
    return "InvokeRequest[" + requestId + ", " + operation + " -> " + target.qualifiedModel() + "]";
  }
}
