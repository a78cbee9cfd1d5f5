package dev.turnpike.app.fakes;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake Azure OpenAI: {@code POST /openai/deployments/{deployment}/chat/completions?api-version=...}, as the
 * data-plane inference spec of API version 2024-10-21 describes it (Azure/azure-rest-api-specs,
 * {@code .../AzureOpenAI/inference/stable/2024-10-21/inference.yaml}). Hosted by {@link FakeAzureResource}.
 *
 * <p>Strict where Azure is: the {@code api-key} header must hold the resource's key (401 in Azure's front-end
 * shape otherwise; a bearer token is not a key); the API version must be one it serves and the deployment one that
 * exists (404 {@code Resource not found} / {@code DeploymentNotFound}); the body may hold only the arguments of
 * 2024-10-21 ("Unrecognized request argument supplied: ...", so no {@code file} parts, no {@code reasoning_effort},
 * no {@code metadata}); {@code model} is accepted and ignored, as Azure does for the openai SDK. Messages follow the
 * schema's roles and content parts, every assistant {@code tool_calls} must be answered by {@code tool} messages
 * right after it and a {@code tool} message must answer one, {@code stream_options} needs {@code stream},
 * {@code tool_choice} needs {@code tools}, function names match {@code ^[a-zA-Z0-9_-]{1,64}$}.
 *
 * <p>Answers are Azure's: a stream opens with an id-less {@code prompt_filter_results} chunk, every choice
 * carries {@code content_filter_results}, the usage chunk ({@code stream_options.include_usage}) comes before
 * {@code data: [DONE]}; a whole answer carries the prompt's filter results; errors are {@code {"error": {"code",
 * "message"}}} (429 with {@code retry-after}), a prompt the content filter blocks is a 400 with
 * {@code code: content_filter} and {@code innererror} (use {@code Reply.error(400, "content_filter", ...)}).
 */
public final class FakeAzureOpenAiUpstream extends ChatMessagesFake<FakeAzureOpenAiUpstream> {
  public static final String API_VERSION = "2024-10-21";
  private static final Pattern PATH = Pattern.compile("/openai/deployments/([^/]+)/chat/completions");
  private static final Set<String> FIELDS = Set.of("messages", "data_sources", "frequency_penalty", "logit_bias",
      "logprobs", "top_logprobs", "max_tokens", "max_completion_tokens", "n", "parallel_tool_calls",
      "presence_penalty", "response_format", "seed", "stop", "stream", "stream_options", "temperature", "top_p",
      "tools", "tool_choice", "function_call", "functions", "user", "model");
  private static final Map<String, Set<String>> MESSAGE_FIELDS = Map.of(
      "system", Set.of("role", "content", "name"),
      "user", Set.of("role", "content", "name"),
      "assistant", Set.of("role", "content", "refusal", "name", "tool_calls", "function_call"),
      "tool", Set.of("role", "content", "tool_call_id"),
      "function", Set.of("role", "content", "name"));
  private static final Map<String, Set<String>> PARTS = Map.of(
      "system", Set.of("text"), "user", Set.of("text", "image_url"), "assistant", Set.of("text", "refusal"),
      "tool", Set.of("text"), "function", Set.of());
  private static final Pattern FUNCTION_NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
  private static final String ACCESS_DENIED = "Access denied due to invalid subscription key or wrong API endpoint. "
      + "Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for "
      + "your resource.";

  private final Map<String, String> deployments;
  private volatile Set<String> apiVersions = Set.of(API_VERSION);

  /** @param deployments deployment name to the model it serves (echoed as {@code model} in answers) */
  public FakeAzureOpenAiUpstream(Vertx vertx, Map<String, String> deployments) {
    super(vertx);
    this.deployments = Map.copyOf(deployments);
  }

  /** The API versions this resource answers (default: {@value #API_VERSION}). */
  public FakeAzureOpenAiUpstream apiVersions(String... versions) {
    this.apiVersions = Set.of(versions);
    return this;
  }

  /** The deployment a request was sent to, decoded from its path; null for another path. */
  public static String deploymentOf(RecordedRequest request) {
    Matcher m = PATH.matcher(request.path());
    return m.matches() ? URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : null;
  }

  @Override
  protected void route(RecordedRequest rec, HttpServerRequest http) {
    Matcher path = PATH.matcher(rec.path());
    String version = queryValue(rec.query(), "api-version");
    if (!rec.method().equals("POST") || !path.matches() || version == null || !apiVersions.contains(version)) {
      front(http, 404, "404", "Resource not found");
      return;
    }
    String model = deployments.get(URLDecoder.decode(path.group(1), StandardCharsets.UTF_8));
    if (model == null) {
      front(http, 404, "DeploymentNotFound", "The API deployment for this resource does not exist. If you created "
          + "the deployment within the last 5 minutes, please wait a moment and try again.");
      return;
    }
    JsonObject body = rec.json();
    String problem = body == null ? "We could not parse the JSON body of your request." : problemWith(body);
    if (problem != null) {
      respond(http, rec, Reply.error(400, "invalid_request_error", problem), false, model);
      return;
    }
    respond(http, rec, runScript(body), Boolean.TRUE.equals(body.getValue("stream")), model);
  }

  // ---- what 2024-10-21 refuses -------------------------------------------------------------------------------

  private static String problemWith(JsonObject body) {
    for (String field : body.fieldNames()) {
      if (!FIELDS.contains(field)) {
        return "Unrecognized request argument supplied: " + field;
      }
    }
    boolean stream = Boolean.TRUE.equals(body.getValue("stream"));
    if (body.containsKey("stream_options")) {
      if (!stream) {
        return "The 'stream_options' parameter is only allowed when 'stream' is enabled.";
      }
      if (!(body.getValue("stream_options") instanceof JsonObject options)
          || !Set.of("include_usage").containsAll(options.fieldNames())) {
        return "Invalid 'stream_options': only include_usage is supported.";
      }
    }
    String tools = toolsProblem(body);
    if (tools != null) {
      return tools;
    }
    if (!(body.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
      return "'messages' is a required property";
    }
    return messagesProblem(messages);
  }

  private static String toolsProblem(JsonObject body) {
    Object choice = body.getValue("tool_choice");
    if (choice != null && !(body.getValue("tools") instanceof JsonArray)) {
      return "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.";
    }
    if (choice instanceof String c && !Set.of("none", "auto", "required").contains(c)) {
      return "Invalid value: '" + c + "'. Supported values are: 'none', 'auto', and 'required'.";
    }
    JsonArray tools = body.getValue("tools") instanceof JsonArray t ? t : new JsonArray();
    for (int i = 0; i < tools.size(); i++) {
      JsonObject tool = tools.getJsonObject(i);
      JsonObject function = tool.getJsonObject("function");
      if (!"function".equals(tool.getString("type")) || function == null) {
        return "Invalid value for 'tools[" + i + "]': expected a function tool.";
      }
      String extra = extra(tool, Set.of("type", "function"));
      extra = extra != null ? extra : extra(function, Set.of("name", "description", "parameters", "strict"));
      if (extra != null) {
        return "Additional properties are not allowed ('" + extra + "' was unexpected) - 'tools." + i + "'";
      }
      String name = function.getString("name");
      if (name == null || !FUNCTION_NAME.matcher(name).matches()) {
        return "Invalid 'tools[" + i + "].function.name': string does not match pattern. Expected a string that "
            + "matches the pattern '^[a-zA-Z0-9_-]+$'.";
      }
    }
    return null;
  }

  private static String messagesProblem(JsonArray messages) {
    Set<String> unanswered = new HashSet<>();
    for (int i = 0; i < messages.size(); i++) {
      if (!(messages.getValue(i) instanceof JsonObject message)) {
        return "Invalid type for 'messages[" + i + "]': expected an object.";
      }
      String role = message.getString("role");
      Set<String> fields = MESSAGE_FIELDS.get(role);
      if (fields == null) {
        return "'" + role + "' is not one of ['system', 'assistant', 'user', 'tool', 'function'] - 'messages."
            + i + ".role'";
      }
      String extra = extra(message, fields);
      if (extra != null) {
        return "Additional properties are not allowed ('" + extra + "' was unexpected) - 'messages." + i + "'";
      }
      Object content = message.getValue("content");
      if (content == null && !(role.equals("assistant") && message.containsKey("tool_calls"))) {
        return "Invalid value for 'content': expected a string, got null. - 'messages." + i + ".content'";
      }
      if (content instanceof JsonArray parts) {
        for (int p = 0; p < parts.size(); p++) {
          String type = parts.getJsonObject(p).getString("type");
          if (!PARTS.get(role).contains(type)) {
            return "Invalid value: '" + type + "'. Supported values are: " + PARTS.get(role) + " - 'messages." + i
                + ".content." + p + ".type'";
          }
        }
      }
      if (role.equals("tool")) {
        if (!unanswered.remove(message.getString("tool_call_id"))) {
          return "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with "
              + "'tool_calls'.";
        }
        continue;
      }
      if (!unanswered.isEmpty()) {
        return "An assistant message with 'tool_calls' must be followed by tool messages responding to each "
            + "'tool_call_id'. The following tool_call_ids did not have response messages: "
            + String.join(", ", unanswered);
      }
      if (message.getValue("tool_calls") instanceof JsonArray calls) {
        calls.forEach(call -> unanswered.add(((JsonObject) call).getString("id")));
      }
    }
    return unanswered.isEmpty() ? null : "An assistant message with 'tool_calls' must be followed by tool messages "
        + "responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: "
        + String.join(", ", unanswered);
  }

  private static String extra(JsonObject object, Set<String> allowed) {
    return object.fieldNames().stream().filter(f -> !allowed.contains(f)).findFirst().orElse(null);
  }

  private static String queryValue(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  // ---- answers -----------------------------------------------------------------------------------------------

  /** An error from Azure's front end: {@code {"error": {"code", "message"}}}. */
  private void front(HttpServerRequest http, int status, String code, String message) {
    send(http, Reply.text(""), status, headers("content-type", "application/json", "apim-request-id",
        nextId("apim-")), List.of(new JsonObject().put("error", new JsonObject().put("code", code)
        .put("message", message)).toBuffer()), false);
  }

  @Override
  protected void respond(HttpServerRequest http, RecordedRequest rec, Reply reply, boolean stream, String model) {
    switch (reply.kind) {
      case RAW -> send(http, reply, reply.status, headers("content-type", reply.contentType),
          List.of(reply.rawBody), reply.contentType != null && reply.contentType.startsWith("text/event-stream"));
      case ERROR -> send(http, reply, reply.status, errorHeaders(reply), List.of(errorJson(reply).toBuffer()),
          false);
      case MESSAGE -> {
        JsonObject options = rec.json() == null ? null : rec.json().getJsonObject("stream_options");
        boolean usage = options != null && Boolean.TRUE.equals(options.getValue("include_usage"));
        if (stream) {
          send(http, reply, 200, headers("content-type", "text/event-stream; charset=utf-8",
              "apim-request-id", nextId("apim-")), chunks(rec, reply, model, usage), true);
        } else {
          Reply.StreamError error = (Reply.StreamError) reply.blocks().stream()
              .filter(b -> b instanceof Reply.StreamError).findFirst().orElse(null);
          if (error != null) {
            send(http, reply, 500, headers("content-type", "application/json"), List.of(new JsonObject()
                .put("error", new JsonObject().put("code", error.type()).put("message", error.message()))
                .toBuffer()), false);
          } else {
            send(http, reply, 200, headers("content-type", "application/json", "apim-request-id",
                nextId("apim-")), List.of(completion(rec, reply, model).toBuffer()), false);
          }
        }
      }
    }
  }

  private MultiMap errorHeaders(Reply reply) {
    MultiMap h = headers("content-type", "application/json", "apim-request-id", nextId("apim-"));
    if (reply.retryAfterSeconds != null) {
      h.add("retry-after", String.valueOf(reply.retryAfterSeconds));
    }
    return h;
  }

  private static JsonObject errorJson(Reply reply) {
    int status = reply.status;
    if ("content_filter".equals(reply.errorType)) {
      // As the content-filtering page shows a blocked prompt (MicrosoftDocs/azure-ai-docs, content-filter.md).
      JsonObject filtered = new JsonObject().put("filtered", true).put("severity", "high");
      JsonObject safe = new JsonObject().put("filtered", false).put("severity", "safe");
      return new JsonObject().put("error", new JsonObject()
          .put("message", reply.errorMessage != null ? reply.errorMessage : "The response was filtered")
          .putNull("type").put("param", "prompt").put("code", "content_filter").put("status", 400)
          .put("innererror", new JsonObject().put("code", "ResponsibleAIPolicyViolation")
              .put("content_filter_result", new JsonObject().put("hate", filtered).put("self_harm", safe.copy())
                  .put("sexual", safe.copy()).put("violence", safe.copy()))));
    }
    if (status == 400) {
      return new JsonObject().put("error", new JsonObject().put("message", reply.errorMessage)
          .put("type", reply.errorType != null ? reply.errorType : "invalid_request_error").putNull("param")
          .putNull("code"));
    }
    String message = switch (status) {
      case 401 -> ACCESS_DENIED;
      case 429 -> "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version " + API_VERSION
          + " have exceeded token rate limit of your current AIServices S0 pricing tier. Please retry after "
          + (reply.retryAfterSeconds != null ? reply.retryAfterSeconds : 60) + " seconds.";
      default -> reply.errorMessage;
    };
    return new JsonObject().put("error", new JsonObject().put("code", String.valueOf(status)).put("message", message));
  }

  private static JsonObject safeResults() {
    JsonObject safe = new JsonObject().put("filtered", false).put("severity", "safe");
    return new JsonObject().put("hate", safe).put("self_harm", safe.copy()).put("sexual", safe.copy())
        .put("violence", safe.copy());
  }

  private static JsonArray promptFilterResults() {
    return new JsonArray().add(new JsonObject().put("prompt_index", 0).put("content_filter_results",
        safeResults().put("jailbreak", new JsonObject().put("filtered", false).put("detected", false))));
  }

  private JsonObject completion(RecordedRequest rec, Reply reply, String model) {
    StringBuilder text = new StringBuilder();
    JsonArray toolCalls = new JsonArray();
    for (Reply.Block b : reply.blocks()) {
      if (b instanceof Reply.Text t) {
        text.append(t.text());
      } else if (b instanceof Reply.ToolCall c) {
        toolCalls.add(functionCall(c.id(), c.name(), c.arguments().encode()));
      }
    }
    JsonObject message = new JsonObject().put("role", "assistant").putNull("refusal")
        .put("content", text.length() == 0 && !toolCalls.isEmpty() ? null : text.toString());
    if (!toolCalls.isEmpty()) {
      message.put("tool_calls", toolCalls);
    }
    JsonObject choice = new JsonObject().put("index", 0).put("finish_reason", toolCalls.isEmpty() ? "stop"
        : "tool_calls").putNull("logprobs").put("message", message).put("content_filter_results",
        toolCalls.isEmpty() ? safeResults() : new JsonObject());
    return new JsonObject().put("id", nextId("chatcmpl-")).put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000).put("model", model)
        .put("system_fingerprint", "fp_turnpike").put("prompt_filter_results", promptFilterResults())
        .put("choices", new JsonArray().add(choice)).put("usage", usage(rec, reply));
  }

  private static JsonObject usage(RecordedRequest rec, Reply reply) {
    int in = reply.estimatedInputTokens(rec);
    int out = reply.estimatedOutputTokens();
    return new JsonObject().put("completion_tokens", out).put("prompt_tokens", in).put("total_tokens", in + out)
        .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", 0))
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 0));
  }

  private List<Buffer> chunks(RecordedRequest rec, Reply reply, String model, boolean includeUsage) {
    List<Buffer> out = new ArrayList<>();
    out.add(dataFrame(new JsonObject().put("id", "").put("object", "").put("created", 0).put("model", "")
        .put("prompt_filter_results", promptFilterResults()).put("choices", new JsonArray()).putNull("usage")));
    Chunks w = new Chunks(nextId("chatcmpl-"), System.currentTimeMillis() / 1000, model, out);
    w.delta(new JsonObject().put("role", "assistant").put("content", "").putNull("refusal"), null,
        new JsonObject());
    int toolIndex = 0;
    for (Reply.Block b : reply.blocks()) {
      if (b instanceof Reply.StreamError e) {
        // A failure after the stream started: an error object in a data frame, no [DONE].
        out.add(dataFrame(new JsonObject().put("error", new JsonObject().put("code", e.type())
            .put("message", e.message()))));
        return out;
      }
      if (b instanceof Reply.Text t) {
        for (String piece : fragments(t.text(), 5)) {
          w.delta(new JsonObject().put("content", piece), null, safeResults());
        }
      } else if (b instanceof Reply.ToolCall c) {
        w.delta(new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject().put("index", toolIndex)
            .mergeIn(functionCall(c.id(), c.name(), "")))), null, new JsonObject());
        for (String piece : fragments(c.arguments().encode(), 7)) {
          w.delta(new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject().put("index", toolIndex)
              .put("function", new JsonObject().put("arguments", piece)))), null, new JsonObject());
        }
        toolIndex++;
      }
    }
    w.delta(new JsonObject(), toolIndex > 0 ? "tool_calls" : "stop", new JsonObject());
    if (includeUsage) {
      out.add(dataFrame(w.base().put("choices", new JsonArray()).put("usage", usage(rec, reply))));
    }
    out.add(doneFrame());
    return out;
  }

  /** {@code chat.completion.chunk} frames sharing one id and timestamp, each choice with its filter results. */
  private record Chunks(String id, long created, String model, List<Buffer> out) {
    JsonObject base() {
      return new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created)
          .put("model", model).put("system_fingerprint", "fp_turnpike");
    }

    void delta(JsonObject delta, String finishReason, JsonObject filterResults) {
      JsonObject choice = new JsonObject().put("index", 0).put("delta", delta).putNull("logprobs")
          .put("finish_reason", finishReason).put("content_filter_results", filterResults);
      out.add(dataFrame(base().put("choices", new JsonArray().add(choice)).putNull("usage")));
    }
  }

  // ---- dialect hooks -----------------------------------------------------------------------------------------

  @Override
  protected String toolCallIdPrefix() {
    return "call_";
  }

  @Override
  protected String presentedKey(RecordedRequest rec) {
    return rec.header("api-key");
  }
}
