package dev.turnpike.contract.config;

import io.vertx.core.json.JsonObject;

/**
 * The {@code server} section: where the node listens and the limits that keep its memory bounded whatever
 * clients and upstreams send. Every field has a config key of the same name in snake case.
 *
 * @param maxInFlight model requests carried at once; past it, 529 at once
 * @param maxBodyBytes one request body; past it, 413
 * @param maxBodyBytesInFlight all request bodies held by the node at once; past it, 529 (a body is held until its
 *     request ends, since a failover resends it)
 * @param maxHeaderBytes a request's headers; past it the connection gets 431 and is closed
 * @param headerTimeoutMs from a connection's first byte (or the end of its previous answer) to a complete request
 *     head: a client that trickles headers is cut off
 * @param bodyTimeoutMs from the request head to the last body byte
 * @param keepAliveTimeoutMs how long an idle keep-alive connection is kept
 * @param drainSeconds on SIGTERM, how long requests in flight may take to finish
 * @param maxAnswerBytes an upstream answer the node must hold whole (a non-streaming answer to translate, an
 *     error body); past it the attempt fails with a clear error
 * @param maxEventBytes one upstream SSE event; past it the stream fails (a malformed stream cannot grow a buffer
 *     without end)
 */
public record ServerConfig(String host, int port, int eventLoops, int maxInFlight, long maxBodyBytes,
                           long maxBodyBytesInFlight, int maxHeaderBytes, long headerTimeoutMs, long bodyTimeoutMs,
                           long keepAliveTimeoutMs, int drainSeconds, long maxAnswerBytes, int maxEventBytes) {
  public static final String DEFAULT_HOST = "127.0.0.1";

  public static ServerConfig fromJson(JsonObject json) {
    JsonObject s = json == null ? new JsonObject() : json;
    return new ServerConfig(
        s.getString("host", DEFAULT_HOST),
        s.getInteger("port", 8080),
        s.getInteger("event_loops", Runtime.getRuntime().availableProcessors()),
        s.getInteger("max_in_flight", 512),
        s.getLong("max_body_bytes", 32L << 20),
        s.getLong("max_body_bytes_in_flight", 64L << 20),
        s.getInteger("max_header_bytes", 32 << 10),
        s.getLong("header_timeout_ms", 10_000L),
        s.getLong("body_timeout_ms", 60_000L),
        s.getLong("keepalive_timeout_ms", 60_000L),
        s.getInteger("drain_seconds", 30),
        s.getLong("max_answer_bytes", 16L << 20),
        s.getInteger("max_event_bytes", 4 << 20));
  }

  /** Whether only this machine can reach the node (a developer's own gateway). */
  public boolean loopbackOnly() {
    return isLoopback(host);
  }

  public static boolean isLoopback(String host) {
    return host.equals("localhost") || host.equals("::1") || host.equals("[::1]") || host.startsWith("127.");
  }
}
