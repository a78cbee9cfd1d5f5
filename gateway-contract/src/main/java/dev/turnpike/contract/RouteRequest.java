package dev.turnpike.contract;

import io.vertx.core.Promise;
import java.util.Map;

/**
 * Asks the router where a request goes. {@code headers} has lower-case names and no credentials. The router
 * completes {@code reply} with the decision or fails it with a {@link Failure.FailureException} (see
 * {@link LocalReply}).
 */
public record RouteRequest(String requestId, RequestParams params, Map<String, String> headers, Admission admission,
                           Promise<RouteDecision> reply) implements Replying<RouteDecision> {}
