package dev.turnpike.provider.auth;

import dev.turnpike.provider.UpstreamRequest;
import io.vertx.core.Future;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * AWS Signature Version 4 over the final request: host, path and query as sent, the headers the translator set
 * ({@code content-type}, {@code accept}) and the body's SHA-256. The signature covers the exact bytes, so nothing
 * may change the request after this.
 */
public final class SigV4Auth implements UpstreamAuth {
  private final SigV4Signer signer;
  private final Clock clock;

  public SigV4Auth(SigV4Signer signer, Clock clock) {
    this.signer = signer;
    this.clock = clock;
  }

  @Override
  public Future<Void> authorize(UpstreamRequest request) {
    URI uri = URI.create(request.absoluteUri());
    Map<String, String> signed = new LinkedHashMap<>();
    request.headers().forEach(header -> signed.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT),
        header.getValue()));
    SignedHeaders headers = signer.sign(request.method().name(), hostHeader(uri), uri.getRawPath(),
        uri.getRawQuery(), signed, request.body(), clock.instant());
    headers.asMap().forEach(request.headers()::set);
    return Future.succeededFuture();
  }

  /** The {@code Host} header the HTTP client sends: the port only when it is not the scheme's default. */
  static String hostHeader(URI uri) {
    int port = uri.getPort();
    boolean defaultPort = port == -1 || ("https".equals(uri.getScheme()) && port == 443)
        || ("http".equals(uri.getScheme()) && port == 80);
    return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
  }
}
