package dev.turnpike.provider.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.turnpike.contract.Failure;
import dev.turnpike.contract.FailureCode;
import dev.turnpike.provider.UpstreamFailures;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * One exchange of a signed assertion for an access token at a Google OAuth2 token endpoint (RFC 7523 §2.1,
 * RFC 6749 §5). Every way it can go wrong ends in a {@link Failure} of code {@link FailureCode#UPSTREAM_AUTH}
 * whose message names the endpoint and the account but never the assertion or a token.
 */
final class GoogleTokenEndpoint {
  /** A token answer is a few hundred bytes; anything near this is not one. */
  static final int MAX_ANSWER_BYTES = 64 * 1024;
  private static final String GRANT = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** JWTs (an echoed assertion) and Google access tokens, should an error text ever quote one. */
  private static final Pattern TOKENS = Pattern.compile(
      "eyJ[A-Za-z0-9_\\-]*\\.[A-Za-z0-9_\\-.]*|ya29\\.[A-Za-z0-9_\\-.]+");

  /** A token as the endpoint issued it; printing it shows only its lifetime. */
  record IssuedToken(String accessToken, long expiresInSeconds) {
    @Override
    public String toString() {
      return "IssuedToken[accessToken=(hidden), expiresInSeconds=" + expiresInSeconds + "]";
    }
  }

  private record Answer(int status, Buffer body) {}

  /** The answer outgrew {@link #MAX_ANSWER_BYTES}. */
  private static final class AnswerTooLarge extends RuntimeException {
    AnswerTooLarge() {
      super(null, null, false, false);
    }
  }

  private final Vertx vertx;
  private final HttpClient client;
  private final String tokenUrl;
  /** The URL as errors show it: without user info or query, which could hold credentials. */
  private final String shownUrl;
  private final String clientEmail;
  private final long timeoutMs;

  GoogleTokenEndpoint(Vertx vertx, HttpClient client, String tokenUrl, String clientEmail, long timeoutMs) {
    this.vertx = vertx;
    this.client = client;
    this.tokenUrl = tokenUrl;
    this.shownUrl = shown(GoogleServiceAccount.requireHttpUrl("token URL", tokenUrl));
    this.clientEmail = clientEmail;
    this.timeoutMs = timeoutMs;
  }

  /** Posts {@code assertion}; the whole exchange, connecting included, must finish within the timeout. */
  Future<IssuedToken> exchange(String assertion) {
    Promise<IssuedToken> result = Promise.promise();
    // On a context, the response's handlers are installed before its body is delivered; from any other thread
    // the body could end first and be lost.
    vertx.getOrCreateContext().runOnContext(v -> {
      try {
        send(assertion, result);
      } catch (RuntimeException e) {
        result.tryFail(classify(e).asException()); // else the caller would wait for ever
      }
    });
    return result.future();
  }

  private void send(String assertion, Promise<IssuedToken> result) {
    Buffer form = Buffer.buffer(GRANT + URLEncoder.encode(assertion, StandardCharsets.US_ASCII));
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(tokenUrl)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded")
        .putHeader(HttpHeaders.ACCEPT, "application/json")
        .setConnectTimeout(timeoutMs);
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    long deadline = vertx.setTimer(timeoutMs, id -> {
      if (result.tryFail(failure("did not answer within " + timeoutMs + " ms").asException())) {
        resetIfSent(sent.get());
      }
    });
    client.request(options)
        .compose(request -> {
          sent.set(request);
          if (result.future().isComplete()) {
            request.reset(); // the deadline passed while connecting
          }
          return request.send(form);
        })
        .compose(response -> readAtMost(response).map(body -> new Answer(response.statusCode(), body)))
        .map(answer -> tokenFrom(answer, assertion))
        .onComplete(outcome -> {
          vertx.cancelTimer(deadline);
          if (outcome.succeeded()) {
            result.tryComplete(outcome.result());
          } else {
            if (outcome.cause() instanceof AnswerTooLarge) {
              resetIfSent(sent.get()); // stop the rest of the oversized answer
            }
            result.tryFail(classify(outcome.cause()).asException());
          }
        });
  }

  /** The answer's body, unless it is bigger than {@link #MAX_ANSWER_BYTES}. */
  private static Future<Buffer> readAtMost(HttpClientResponse response) {
    String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && declaredTooLarge(length)) {
      response.exceptionHandler(ignored -> {}); // the reset that follows is ours
      return Future.failedFuture(new AnswerTooLarge());
    }
    Promise<Buffer> body = Promise.promise();
    Buffer bytes = Buffer.buffer();
    response.handler(chunk -> {
      if (body.future().isComplete()) {
        return;
      }
      if (bytes.length() + chunk.length() > MAX_ANSWER_BYTES) {
        body.tryFail(new AnswerTooLarge());
        return;
      }
      bytes.appendBuffer(chunk);
    });
    response.exceptionHandler(body::tryFail);
    response.endHandler(v -> body.tryComplete(bytes));
    return body.future();
  }

  private static boolean declaredTooLarge(String contentLength) {
    try {
      return Long.parseLong(contentLength.trim()) > MAX_ANSWER_BYTES;
    } catch (NumberFormatException e) {
      return false; // the streaming bound still applies
    }
  }

  private IssuedToken tokenFrom(Answer answer, String assertion) {
    int status = answer.status();
    JsonNode json = parse(answer.body());
    if (status < 200 || status > 299) {
      throw failure("answered " + status + errorDetail(json, assertion)).asException();
    }
    if (json == null || !json.isObject()) {
      throw failure("answered " + status + " with a body that is not a JSON object").asException();
    }
    JsonNode token = json.path("access_token");
    if (!token.isTextual() || token.asText().isBlank()) {
      throw failure("answered " + status + " without an access_token").asException();
    }
    long expiresIn = expiresIn(json.path("expires_in"));
    if (expiresIn <= 0) {
      throw failure("answered " + status + " without a positive expires_in").asException();
    }
    JsonNode type = json.path("token_type");
    if (!type.isMissingNode() && !type.asText().equalsIgnoreCase("Bearer")) {
      throw failure("answered " + status + " with a token that is not a Bearer token").asException();
    }
    return new IssuedToken(token.asText(), expiresIn);
  }

  private static JsonNode parse(Buffer body) {
    try {
      return body.length() == 0 ? null : JSON.readTree(body.getBytes());
    } catch (IOException e) {
      return null;
    }
  }

  /** Seconds as RFC 6749 §5.1 sends them (a number), or as a string of digits, which some servers send. */
  private static long expiresIn(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isTextual() && node.asText().matches("\\d{1,9}")) {
      return Long.parseLong(node.asText());
    }
    return -1;
  }

  /**
   * RFC 6749 §5.2's {@code error} and {@code error_description}, with anything token-shaped masked; the body is
   * not quoted otherwise, as it is not known to be free of secrets.
   */
  private static String errorDetail(JsonNode json, String assertion) {
    if (json == null || !json.isObject() || !json.path("error").isTextual()) {
      return "";
    }
    String detail = json.path("error").asText();
    JsonNode description = json.path("error_description");
    if (description.isTextual() && !description.asText().isBlank()) {
      detail += " (" + description.asText() + ")";
    }
    String masked = TOKENS.matcher(detail.replace(assertion, "[redacted]")).replaceAll("[redacted]");
    return ": " + UpstreamFailures.redact(masked);
  }

  private Failure classify(Throwable error) {
    if (error instanceof Failure.FailureException known) {
      return known.failure();
    }
    if (error instanceof AnswerTooLarge) {
      return failure("answered with more than " + MAX_ANSWER_BYTES + " bytes");
    }
    if (error instanceof ConnectException || error.getCause() instanceof ConnectException) {
      return failure("is unreachable");
    }
    if (error.getClass().getSimpleName().contains("Timeout")) {
      return failure("timed out connecting");
    }
    // The transport's own message may quote the request; its class says enough.
    return failure("failed (" + error.getClass().getSimpleName() + ")");
  }

  private Failure failure(String what) {
    return Failure.of(FailureCode.UPSTREAM_AUTH,
        "Google token endpoint " + shownUrl + " " + what + " (service account " + clientEmail + ")");
  }

  private static String shown(URI url) {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }

  private static void resetIfSent(HttpClientRequest request) {
    if (request != null) {
      request.reset();
    }
  }
}
