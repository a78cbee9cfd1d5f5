package dev.turnpike.app.fakes;

import dev.turnpike.contract.eventstream.BedrockStreamEvents;
import dev.turnpike.provider.auth.AwsCredentials;
import dev.turnpike.provider.auth.SigV4Signer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake Amazon Bedrock runtime on 127.0.0.1 for Anthropic models: {@code POST /model/{id}/invoke},
 * {@code /invoke-with-response-stream} and {@code /count-tokens}, as the Bedrock API reference describes them
 * (InvokeModel, InvokeModelWithResponseStream, CountTokens; the Anthropic request body per "Anthropic Claude
 * Messages API" in the Bedrock user guide). It is strict where Bedrock is: a request must carry a SigV4
 * signature that it recomputes with the same credentials (or the configured Bedrock API key as a bearer token),
 * the body must have {@code anthropic_version: "bedrock-2023-05-31"} and no {@code model} or {@code stream}
 * ("extraneous key ... is not permitted"), and {@code anthropic_beta} must be a list of strings. Streams are AWS
 * event-stream {@code chunk} messages; errors are {@code {"message"}} with {@code x-amzn-errortype}.
 */
public final class FakeBedrockUpstream extends AnthropicFamilyFake<FakeBedrockUpstream> {
  public static final String REGION = "us-east-1";
  private static final Pattern PATH = Pattern.compile("/model/([^/]+)/(invoke|invoke-with-response-stream|count-tokens)");
  private final AwsCredentials credentials;
  private volatile String apiKey;
  private volatile Buffer rawStream;

  public FakeBedrockUpstream(Vertx vertx, AwsCredentials credentials) {
    super(vertx);
    this.credentials = credentials;
  }

  /** Accepts this Bedrock API key (as {@code authorization: Bearer}) instead of a signature. */
  public FakeBedrockUpstream apiKey(String key) {
    this.apiKey = key;
    return this;
  }

  /** The next streamed answers are these exact bytes (broken frames, say) instead of the script's. */
  public FakeBedrockUpstream rawStream(Buffer bytes) {
    this.rawStream = bytes;
    return this;
  }

  /** The model id of a request, decoded from its path. */
  public static String modelOf(RecordedRequest request) {
    Matcher m = PATH.matcher(request.path());
    return m.matches() ? URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : null;
  }

  @Override
  protected void route(RecordedRequest rec, HttpServerRequest http) {
    Matcher path = PATH.matcher(rec.path());
    if (!rec.method().equals("POST") || !path.matches()) {
      fail(http, rec, 404, "UnknownOperationException", "Unknown operation " + rec.method() + " " + rec.path());
      return;
    }
    if (!authorized(rec)) {
      fail(http, rec, 403, "InvalidSignatureException", "The request signature we calculated does not match the "
          + "signature you provided. Check your AWS Secret Access Key and signing method.");
      return;
    }
    String operation = path.group(2);
    String model = URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
    JsonObject body = rec.json();
    if (operation.equals("count-tokens")) {
      body = invokeBodyOfCount(body);
    }
    String problem = body == null ? "Malformed input request, please reformat your input and try again."
        : problemWith(body);
    if (problem != null) {
      fail(http, rec, 400, "ValidationException", problem);
      return;
    }
    if (operation.equals("count-tokens")) {
      sendJson(http, Reply.text(""), 200, new JsonObject().put("inputTokens", Math.max(1, rec.body().length() / 4)));
      return;
    }
    Buffer raw = rawStream;
    if (raw != null && operation.equals("invoke-with-response-stream")) {
      send(http, Reply.text(""), 200, headers("content-type", "application/vnd.amazon.eventstream",
          "x-amzn-requestid", nextId("req-")), List.of(raw), true);
      return;
    }
    respond(http, rec, runScript(body), operation.equals("invoke-with-response-stream"), model);
  }

  private boolean authorized(RecordedRequest rec) {
    String key = apiKey;
    if (key != null) {
      return ("Bearer " + key).equals(rec.header("authorization"));
    }
    Map<String, String> headers = new HashMap<>();
    rec.headers().forEach(h -> headers.putIfAbsent(h.getKey(), h.getValue()));
    return SigV4Signer.verify(credentials, REGION, "bedrock", rec.method(), rec.header("host"), rec.path(),
        rec.query(), headers, rec.body().getBytes());
  }

  private static JsonObject invokeBodyOfCount(JsonObject count) {
    try {
      String blob = count.getJsonObject("input").getJsonObject("invokeModel").getString("body");
      return new JsonObject(Buffer.buffer(Base64.getDecoder().decode(blob)));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String problemWith(JsonObject body) {
    for (String extraneous : List.of("model", "stream")) {
      if (body.containsKey(extraneous)) {
        return "Malformed input request: #: extraneous key [" + extraneous + "] is not permitted, please reformat "
            + "your input and try again.";
      }
    }
    if (!"bedrock-2023-05-31".equals(body.getValue("anthropic_version"))) {
      return "Malformed input request: #/anthropic_version: expected bedrock-2023-05-31";
    }
    Object betas = body.getValue("anthropic_beta");
    if (betas != null && !(betas instanceof JsonArray list && list.stream().allMatch(b -> b instanceof String))) {
      return "Malformed input request: #/anthropic_beta: expected type: JSONArray of strings";
    }
    if (!(body.getValue("max_tokens") instanceof Number)) {
      return "Malformed input request: #: required key [max_tokens] not found";
    }
    return null;
  }

  @Override
  protected void respond(HttpServerRequest http, RecordedRequest rec, Reply reply, boolean stream, String model) {
    switch (reply.kind) {
      case RAW -> send(http, reply, reply.status, headers("content-type", reply.contentType),
          List.of(reply.rawBody), false);
      case ERROR -> fail(http, reply, reply.status, exceptionFor(reply.status), reply.errorMessage);
      case MESSAGE -> {
        if (stream) {
          send(http, reply, 200, headers("content-type", "application/vnd.amazon.eventstream",
              "x-amzn-requestid", nextId("req-")), eventStream(sse(rec, reply, model)), true);
        } else if (firstStreamError(reply) != null) {
          fail(http, reply, 500, "ModelErrorException", firstStreamError(reply).message());
        } else {
          sendJson(http, reply, 200, message(rec, reply, model));
        }
      }
    }
  }

  /** The SSE events the Anthropic API would send, each as the chunk Bedrock wraps it in. */
  private static List<Buffer> eventStream(List<Buffer> sseEvents) {
    List<Buffer> frames = new ArrayList<>();
    for (Buffer event : sseEvents) {
      String text = event.toString(StandardCharsets.UTF_8);
      String name = text.substring("event: ".length(), text.indexOf('\n'));
      String data = text.substring(text.indexOf("data: ") + "data: ".length()).trim();
      if (name.equals("error")) {
        JsonObject error = new JsonObject(data).getJsonObject("error");
        frames.add(BedrockStreamEvents.exception(streamExceptionFor(error.getString("type")),
            error.getString("message")));
      } else {
        frames.add(BedrockStreamEvents.chunk(Buffer.buffer(data)));
      }
    }
    return frames;
  }

  private static String streamExceptionFor(String anthropicType) {
    return switch (anthropicType) {
      case "overloaded_error" -> "serviceUnavailableException";
      case "rate_limit_error" -> "throttlingException";
      default -> "modelStreamErrorException";
    };
  }

  private static String exceptionFor(int status) {
    return switch (status) {
      case 400 -> "ValidationException";
      case 403 -> "AccessDeniedException";
      case 404 -> "ResourceNotFoundException";
      case 408 -> "ModelTimeoutException";
      case 429 -> "ThrottlingException";
      case 503 -> "ServiceUnavailableException";
      default -> "InternalServerException";
    };
  }

  private void fail(HttpServerRequest http, RecordedRequest rec, int status, String type, String message) {
    fail(http, Reply.text(""), status, type, message);
  }

  private void fail(HttpServerRequest http, Reply reply, int status, String type, String message) {
    MultiMap h = headers("content-type", "application/json", "x-amzn-requestid", nextId("req-"),
        "x-amzn-errortype", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
    if (reply.retryAfterSeconds != null) {
      h.add("retry-after", String.valueOf(reply.retryAfterSeconds));
    }
    send(http, reply, status, h, List.of(new JsonObject().put("message", message).toBuffer()), false);
  }

  @Override
  protected String presentedKey(RecordedRequest rec) {
    return null; // Bedrock checks signatures, not keys; see authorized()
  }
}
