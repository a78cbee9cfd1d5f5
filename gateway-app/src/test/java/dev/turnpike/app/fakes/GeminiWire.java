package dev.turnpike.app.fakes;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gemini's answers as a fake renders them, for the AI Studio fake and the Vertex fake's Gemini models alike
 * ({@code google/ai/generativelanguage/v1beta/generative_service.proto}): a {@code GenerateContentResponse}, or with
 * {@code alt=sse} one per {@code data:} event ending in CRLF CRLF, each carrying the next parts and the usage so
 * far, the last one the {@code finishReason}. A function call comes whole in one part, the first call of an
 * answer signed with a {@code thoughtSignature} this fake remembers (and later insists on, for Gemini 3);
 * AI Studio calls carry the fake's call id. Thoughts are sent only when the request asked for them. Errors are
 * Google's {@code {"error": {code, message, status, details}}}, a 429 with a {@code RetryInfo} delay.
 */
final class GeminiWire {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<Integer, String> STATUSES = Map.of(400, "INVALID_ARGUMENT", 401, "UNAUTHENTICATED",
      403, "PERMISSION_DENIED", 404, "NOT_FOUND", 429, "RESOURCE_EXHAUSTED", 500, "INTERNAL", 503, "UNAVAILABLE",
      504, "DEADLINE_EXCEEDED");

  private final FakeUpstream<?> fake;
  private final GeminiRequestRules.Api api;
  private final Set<String> issuedSignatures = ConcurrentHashMap.newKeySet();
  /** Vertex has no call ids: a call the fake made is recognised by its arguments when it is answered. */
  private final Map<String, JsonObject> issuedArguments = new ConcurrentHashMap<>();

  GeminiWire(FakeUpstream<?> fake, GeminiRequestRules.Api api) {
    this.fake = fake;
    this.api = api;
  }

  boolean issued(String signature) {
    return issuedSignatures.contains(signature);
  }

  void answer(HttpServerRequest http, RecordedRequest rec, Reply reply, boolean stream, String model) {
    switch (reply.kind) {
      case RAW -> fake.send(http, reply, reply.status, FakeUpstream.headers("content-type", reply.contentType),
          List.of(reply.rawBody), false);
      case ERROR -> error(http, reply, reply.status, reply.errorMessage, reply.retryAfterSeconds);
      case MESSAGE -> {
        Reply.StreamError failure = (Reply.StreamError) reply.blocks().stream()
            .filter(b -> b instanceof Reply.StreamError).findFirst().orElse(null);
        if (stream) {
          fake.send(http, reply, 200, FakeUpstream.headers("content-type", "text/event-stream",
              "x-gemini-service-tier", "standard"), chunks(rec, reply, model), true);
        } else if (failure != null) {
          error(http, reply, codeOf(failure.type()), failure.message(), null);
        } else {
          fake.send(http, reply, 200, FakeUpstream.headers("content-type", "application/json; charset=UTF-8"),
              List.of(whole(rec, reply, model).toBuffer()), false);
        }
      }
    }
  }

  /** Google's error JSON with the status name of {@code code}. */
  void error(HttpServerRequest http, Reply reply, int code, String message, Integer retryAfterSeconds) {
    MultiMap headers = FakeUpstream.headers("content-type", "application/json; charset=UTF-8");
    fake.send(http, reply, code, headers, List.of(errorJson(code, message, retryAfterSeconds).toBuffer()), false);
  }

  static JsonObject errorJson(int code, String message, Integer retryAfterSeconds) {
    JsonObject error = new JsonObject().put("code", code).put("message", message)
        .put("status", STATUSES.getOrDefault(code, "UNKNOWN"));
    if (retryAfterSeconds != null) {
      error.put("details", new JsonArray().add(new JsonObject()
          .put("@type", "type.googleapis.com/google.rpc.RetryInfo").put("retryDelay", retryAfterSeconds + "s")));
    }
    return new JsonObject().put("error", error);
  }

  private static int codeOf(String anthropicType) {
    return switch (anthropicType == null ? "" : anthropicType) {
      case "overloaded_error" -> 503;
      case "rate_limit_error" -> 429;
      case "invalid_request_error" -> 400;
      default -> 500;
    };
  }

  // ---- rendering ----

  private JsonObject whole(RecordedRequest rec, Reply reply, String model) {
    JsonArray parts = new JsonArray();
    boolean thoughts = wantsThoughts(rec);
    boolean signed = false;
    for (Reply.Block block : reply.blocks()) {
      JsonObject part = part(block, thoughts, !signed);
      if (part != null) {
        parts.add(part);
        signed |= part.containsKey("thoughtSignature");
      }
    }
    return response(model, new JsonObject().put("content", new JsonObject().put("parts", parts).put("role", "model"))
        .put("finishReason", "STOP").put("index", 0), usage(rec, reply, true));
  }

  private List<Buffer> chunks(RecordedRequest rec, Reply reply, String model) {
    List<Buffer> out = new ArrayList<>();
    boolean thoughts = wantsThoughts(rec);
    List<JsonArray> pieces = new ArrayList<>();
    boolean signed = false;
    for (Reply.Block block : reply.blocks()) {
      if (block instanceof Reply.StreamError e) {
        for (JsonArray parts : pieces) {
          out.add(event(response(model, candidate(parts), usage(rec, reply, false))));
        }
        out.add(event(errorJson(codeOf(e.type()), e.message(), null))); // Google ends a failed stream this way
        return out;
      }
      if (block instanceof Reply.Text text) {
        for (String piece : FakeUpstream.fragments(text.text(), 5)) {
          pieces.add(new JsonArray().add(new JsonObject().put("text", piece)));
        }
      } else if (block instanceof Reply.Thinking thinking) {
        if (thoughts) {
          for (String piece : FakeUpstream.fragments(thinking.thinking(), 9)) {
            pieces.add(new JsonArray().add(new JsonObject().put("text", piece).put("thought", true)));
          }
        }
      } else {
        JsonObject part = part(block, thoughts, !signed);
        signed |= part.containsKey("thoughtSignature");
        pieces.add(new JsonArray().add(part));
      }
    }
    if (pieces.isEmpty()) {
      pieces.add(new JsonArray().add(new JsonObject().put("text", "")));
    }
    for (int i = 0; i < pieces.size(); i++) {
      boolean last = i == pieces.size() - 1;
      JsonObject candidate = candidate(pieces.get(i));
      if (last) {
        candidate.put("finishReason", "STOP");
      }
      out.add(event(response(model, candidate, usage(rec, reply, last))));
    }
    return out;
  }

  private JsonObject part(Reply.Block block, boolean thoughts, boolean sign) {
    if (block instanceof Reply.Text text) {
      return new JsonObject().put("text", text.text());
    }
    if (block instanceof Reply.Thinking thinking) {
      return thoughts ? new JsonObject().put("text", thinking.thinking()).put("thought", true) : null;
    }
    if (block instanceof Reply.ToolCall call) {
      JsonObject functionCall = new JsonObject();
      if (api == GeminiRequestRules.Api.AI_STUDIO) {
        functionCall.put("id", call.id());
      }
      functionCall.put("name", call.name()).put("args", call.arguments());
      issuedArguments.put(call.id(), call.arguments().copy());
      JsonObject part = new JsonObject().put("functionCall", functionCall);
      if (sign) {
        byte[] signature = new byte[48];
        RANDOM.nextBytes(signature);
        String encoded = Base64.getEncoder().encodeToString(signature);
        issuedSignatures.add(encoded);
        part.put("thoughtSignature", encoded);
      }
      return part;
    }
    return null;
  }

  private static JsonObject candidate(JsonArray parts) {
    return new JsonObject().put("content", new JsonObject().put("parts", parts).put("role", "model")).put("index", 0);
  }

  private JsonObject response(String model, JsonObject candidate, JsonObject usage) {
    return new JsonObject().put("candidates", new JsonArray().add(candidate)).put("usageMetadata", usage)
        .put("modelVersion", model).put("responseId", fake.nextId("rsp"));
  }

  private static JsonObject usage(RecordedRequest rec, Reply reply, boolean complete) {
    int prompt = reply.estimatedInputTokens(rec);
    JsonObject usage = new JsonObject().put("promptTokenCount", prompt);
    if (complete) {
      int output = reply.estimatedOutputTokens();
      usage.put("candidatesTokenCount", output).put("totalTokenCount", prompt + output);
    } else {
      usage.put("totalTokenCount", prompt);
    }
    return usage;
  }

  private static Buffer event(JsonObject json) {
    return Buffer.buffer("data: " + json.encode() + "\r\n\r\n");
  }

  private static boolean wantsThoughts(RecordedRequest rec) {
    JsonObject body = rec.json();
    return body != null && body.getJsonObject("generationConfig", new JsonObject())
        .getJsonObject("thinkingConfig", new JsonObject()).getBoolean("includeThoughts", false);
  }

  // ---- the Claude Code script's view of a Gemini request ----

  static String bashToolName(JsonObject request) {
    for (Object tool : request.getJsonArray("tools", new JsonArray())) {
      for (Object declaration : ((JsonObject) tool).getJsonArray("functionDeclarations", new JsonArray())) {
        String name = ((JsonObject) declaration).getString("name");
        if ("bash".equalsIgnoreCase(name)) {
          return name;
        }
      }
    }
    return null;
  }

  static boolean toolResultAfterLastModel(JsonObject request) {
    JsonArray contents = request.getJsonArray("contents", new JsonArray());
    for (int i = contents.size() - 1; i >= 0; i--) {
      JsonObject content = contents.getJsonObject(i);
      if ("model".equals(content.getString("role"))) {
        return false;
      }
      if (content.getJsonArray("parts", new JsonArray()).stream()
          .anyMatch(p -> ((JsonObject) p).containsKey("functionResponse"))) {
        return true;
      }
    }
    return false;
  }

  /** Whether the request answers the call {@code toolCallId}: by its id (AI Studio) or by its arguments (Vertex). */
  boolean containsToolResultFor(JsonObject request, String toolCallId) {
    JsonArray contents = request.getJsonArray("contents", new JsonArray());
    JsonObject arguments = issuedArguments.get(toolCallId);
    for (int i = 0; i + 1 < contents.size(); i++) {
      JsonArray calls = contents.getJsonObject(i).getJsonArray("parts", new JsonArray());
      JsonArray answers = contents.getJsonObject(i + 1).getJsonArray("parts", new JsonArray());
      for (int p = 0; p < calls.size() && p < answers.size(); p++) {
        JsonObject call = calls.getJsonObject(p).getJsonObject("functionCall");
        JsonObject answer = answers.getJsonObject(p).getJsonObject("functionResponse");
        if (call == null || answer == null) {
          continue;
        }
        boolean sameCall = api == GeminiRequestRules.Api.AI_STUDIO ? toolCallId.equals(answer.getString("id"))
            : arguments != null && arguments.equals(call.getJsonObject("args", new JsonObject()));
        if (sameCall) {
          return true;
        }
      }
    }
    return false;
  }
}
