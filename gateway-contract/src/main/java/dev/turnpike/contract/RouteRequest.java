package dev.turnpike.contract;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * Asks the router where a request goes. {@code headers} has lower-case names and no credentials; {@code query}
 * holds the query parameters (first value each). {@code body} is the client's bytes, read only when a rule needs
 * what the scan did not compute (the input-token estimate). The router completes {@code reply} with the decision
 * or fails it with a {@link Failure.FailureException} (see {@link LocalReply}).
 *
 * @param requestType what routing rules see as {@code request_type} ({@link RequestTypes}): the client surface's
 *     call, which the canonical Anthropic body no longer shows
 */
public record RouteRequest(String requestId, Operation operation, String requestType, RequestParams params,
                           Map<String, String> headers, Map<String, String> query, Buffer body, Admission admission,
                           Promise<RouteDecision> reply)
    implements Replying<RouteDecision> {
  /** A request on the Anthropic surface, whose type is its operation's. */
  public RouteRequest(String requestId, Operation operation, RequestParams params, Map<String, String> headers,
                      Map<String, String> query, Buffer body, Admission admission, Promise<RouteDecision> reply) {
    this(requestId, operation, RequestTypes.of(operation), params, headers, query, body, admission, reply);
  }

  @Override
  public String toString() {
    return "RouteRequest[" + requestId + ", " + params.model() + "]";
  }
}
