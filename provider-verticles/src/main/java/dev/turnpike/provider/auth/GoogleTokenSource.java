package dev.turnpike.provider.auth;

import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * OAuth2 access tokens for a Google service account (for Vertex AI), minted by the JWT-bearer grant and cached
 * until shortly before they expire. Safe to share between event loops: callers that arrive while a token is being
 * minted share that one request, and each caller's future completes on the caller's own context.
 *
 * <p>A failed mint fails with a {@link Failure} of code {@link FailureCode#UPSTREAM_AUTH} and is not remembered:
 * the next call tries again. Until then, a token that is due for refresh but not yet expired keeps being served.
 */
public final class GoogleTokenSource {
  public static final String DEFAULT_SCOPE = "https://www.googleapis.com/auth/cloud-platform";
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** Refresh this long before expiry at most, so a request never leaves with a token about to lapse. */
  static final Duration MAX_REFRESH_MARGIN = Duration.ofMinutes(5);

  /** A cached token; printing it shows only its times. */
  private record CachedToken(String value, Instant refreshAt, Instant expiresAt) {
    /** The margin is 10% of the lifetime when that is shorter than {@link #MAX_REFRESH_MARGIN}. */
    static CachedToken issued(String value, Instant issuedAt, Duration lifetime) {
      Duration tenth = lifetime.dividedBy(10);
      Duration margin = tenth.compareTo(MAX_REFRESH_MARGIN) < 0 ? tenth : MAX_REFRESH_MARGIN;
      Instant expiresAt = issuedAt.plus(lifetime);
      return new CachedToken(value, expiresAt.minus(margin), expiresAt);
    }

    @Override
    public String toString() {
      return "CachedToken[value=(hidden), refreshAt=" + refreshAt + ", expiresAt=" + expiresAt + "]";
    }
  }

  private final Vertx vertx;
  private final GoogleServiceAccount account;
  private final String tokenUrl;
  private final String scope;
  private final Clock clock;
  private final GoogleTokenEndpoint endpoint;
  /** Guarded by {@code this}, as are all mutable fields. */
  private CachedToken cached;
  /** The mint in progress, shared by everyone who asks meanwhile; null when none is. */
  private Future<String> minting;

  /** With the {@link #DEFAULT_REQUEST_TIMEOUT}. */
  public GoogleTokenSource(Vertx vertx, HttpClient client, GoogleServiceAccount account, String tokenUrlOverride,
                           String scope, Clock clock) {
    this(vertx, client, account, tokenUrlOverride, scope, clock, DEFAULT_REQUEST_TIMEOUT);
  }

  /**
   * @param tokenUrlOverride where to post assertions instead of the account's {@code token_uri} (a private
   *     endpoint, a test server); null for the account's own; it is also the assertion's {@code aud}
   * @param scope the OAuth2 scope(s), space-separated; null for {@link #DEFAULT_SCOPE}
   * @param requestTimeout the limit on one whole token request, connecting included
   * @throws IllegalArgumentException if the token URL is not an absolute http(s) URL or the timeout is not positive
   */
  public GoogleTokenSource(Vertx vertx, HttpClient client, GoogleServiceAccount account, String tokenUrlOverride,
                           String scope, Clock clock, Duration requestTimeout) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.account = Objects.requireNonNull(account, "account");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tokenUrl = tokenUrlOverride == null || tokenUrlOverride.isBlank() ? account.tokenUri() : tokenUrlOverride;
    this.scope = scope == null || scope.isBlank() ? DEFAULT_SCOPE : scope;
    if (requestTimeout == null || requestTimeout.toMillis() <= 0) {
      throw new IllegalArgumentException("Token request timeout must be positive");
    }
    this.endpoint = new GoogleTokenEndpoint(vertx, Objects.requireNonNull(client, "client"), tokenUrl,
        account.clientEmail(), requestTimeout.toMillis());
  }

  /** A token with more than its refresh margin left: the cached one, or a freshly minted one. */
  public Future<String> accessToken() {
    Context caller = vertx.getOrCreateContext();
    Promise<String> started = null;
    Future<String> shared;
    synchronized (this) {
      if (cached != null && clock.instant().isBefore(cached.refreshAt())) {
        return Future.succeededFuture(cached.value());
      }
      if (minting == null) {
        started = Promise.promise();
        minting = started.future();
      }
      shared = minting;
    }
    if (started != null) {
      // Outside the lock: a mint that fails at once settles (and clears minting) before this returns.
      mint().onComplete(started);
    }
    return onContext(caller, shared);
  }

  /**
   * The upstream refused {@code token} (revoked, or the account's rights changed): it is not served again, so
   * the next call mints a new one.
   */
  public synchronized void invalidate(String token) {
    if (cached != null && cached.value().equals(token)) {
      cached = null;
    }
  }

  private Future<String> mint() {
    Instant issuedAt = clock.instant();
    Future<GoogleTokenEndpoint.IssuedToken> issued;
    try {
      issued = endpoint.exchange(JwtBearerAssertion.create(account, scope, tokenUrl, issuedAt));
    } catch (GeneralSecurityException e) {
      issued = failed("Could not sign the token assertion", e);
    } catch (RuntimeException e) {
      issued = failed("Could not request a token", e); // a throw here would leave the mint in flight for ever
    }
    return issued.transform(outcome -> settle(outcome, issuedAt));
  }

  private <T> Future<T> failed(String what, Exception cause) {
    return Future.failedFuture(Failure.of(FailureCode.UPSTREAM_AUTH, what + " for service account "
        + account.clientEmail() + " (" + cause.getClass().getSimpleName() + ")").asException());
  }

  /** Caches a new token, or falls back to the old one while it is still valid. */
  private synchronized Future<String> settle(AsyncResult<GoogleTokenEndpoint.IssuedToken> outcome,
                                             Instant issuedAt) {
    minting = null;
    if (outcome.succeeded()) {
      GoogleTokenEndpoint.IssuedToken token = outcome.result();
      // Timed from before the request, so the cache never outlives the token.
      cached = CachedToken.issued(token.accessToken(), issuedAt, Duration.ofSeconds(token.expiresInSeconds()));
      return Future.succeededFuture(token.accessToken());
    }
    if (cached != null && clock.instant().isBefore(cached.expiresAt())) {
      return Future.succeededFuture(cached.value());
    }
    return Future.failedFuture(outcome.cause());
  }

  /** The shared mint completes on whichever loop ran it; each caller continues on its own. */
  private static Future<String> onContext(Context caller, Future<String> shared) {
    Promise<String> own = Promise.promise();
    shared.onComplete(outcome -> caller.runOnContext(v -> own.handle(outcome)));
    return own.future();
  }

  @Override
  public String toString() {
    return "GoogleTokenSource[account=" + account.clientEmail() + ", scope=" + scope + "]";
  }
}
