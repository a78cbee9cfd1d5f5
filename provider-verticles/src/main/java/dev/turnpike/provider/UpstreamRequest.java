package dev.turnpike.provider;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The call a translator shaped, before credentials: an {@link dev.turnpike.provider.auth.UpstreamAuth} adds its
 * headers to {@code headers} over the final {@code body}, which nothing changes afterwards (a SigV4 signature
 * covers it).
 *
 * @param absoluteUri as it goes on the wire (already percent-encoded), query included
 * @param model the upstream model, for credentials scoped to models
 */
public record UpstreamRequest(HttpMethod method, String absoluteUri, MultiMap headers, Buffer body, String model) {
  public static UpstreamRequest post(String absoluteUri, MultiMap headers, Buffer body, String model) {
    return new UpstreamRequest(HttpMethod.POST, absoluteUri, headers, body, model);
  }

  /** The headers of a JSON request whose answer is an event stream when {@code streaming}, JSON otherwise. */
  public static MultiMap jsonHeaders(boolean streaming) {
    return MultiMap.caseInsensitiveMultiMap()
        .set("content-type", "application/json")
        .set("accept", streaming ? "text/event-stream" : "application/json");
  }

  RequestOptions options() {
    return new RequestOptions().setMethod(method).setAbsoluteURI(absoluteUri).setHeaders(headers);
  }
}
