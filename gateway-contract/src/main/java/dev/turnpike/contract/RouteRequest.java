package dev.turnpike.contract;

import java.util.Map;

/** Asks the router where a request goes. {@code headers} has lower-case names. */
public record RouteRequest(String requestId, RequestParams params, Map<String, String> headers, Admission admission) {}
