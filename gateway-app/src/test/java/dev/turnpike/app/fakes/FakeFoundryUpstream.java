package dev.turnpike.app.fakes;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A fake Claude in Microsoft Foundry: Anthropic's Messages API under {@code /anthropic/v1/messages} and
 * {@code /anthropic/v1/messages/count_tokens} of a Foundry resource (Anthropic's "Claude in Microsoft Foundry"
 * guide: the endpoint, the {@code api-key} or {@code x-api-key} header, {@code anthropic-version}, the deployment
 * name as {@code model}; no Models or Batches API). Hosted by {@link FakeAzureResource}.
 *
 * <p>Strict: a key in either header (Azure's front-end 401 otherwise), {@code anthropic-version}, a {@code model}
 * that names one of its deployments (Azure's {@code DeploymentNotFound} otherwise), {@code max_tokens} on a
 * message call, roles {@code user}, {@code assistant} and (mid-conversation) {@code system}, and tool calls paired
 * as the Messages API demands: every {@code tool_use} answered by a {@code tool_result} in the next message, every
 * {@code tool_result} answering one in the message before. Answers are Anthropic's SSE and JSON
 * ({@link AnthropicFamilyFake}).
 */
public final class FakeFoundryUpstream extends AnthropicFamilyFake<FakeFoundryUpstream> {
  private final Set<String> deployments;

  public FakeFoundryUpstream(Vertx vertx, Set<String> deployments) {
    super(vertx);
    this.deployments = Set.copyOf(deployments);
  }

  @Override
  protected void route(RecordedRequest rec, HttpServerRequest http) {
    boolean messages = rec.path().equals("/anthropic/v1/messages");
    boolean count = rec.path().equals("/anthropic/v1/messages/count_tokens");
    if (!rec.method().equals("POST") || !(messages || count)) {
      front(http, 404, "404", "Resource not found");
      return;
    }
    if (rec.header("anthropic-version") == null) {
      respond(http, rec, Reply.error(400, "invalid_request_error", "anthropic-version: header is required"), false,
          null);
      return;
    }
    JsonObject body = rec.json();
    if (body == null) {
      respond(http, rec, Reply.error(400, "invalid_request_error", "request body is not valid JSON"), false, null);
      return;
    }
    if (!(body.getValue("model") instanceof String model) || !deployments.contains(model)) {
      front(http, 404, "DeploymentNotFound", "The API deployment for this resource does not exist. If you created "
          + "the deployment within the last 5 minutes, please wait a moment and try again.");
      return;
    }
    String problem = problemWith(body, messages);
    if (problem != null) {
      respond(http, rec, Reply.error(400, "invalid_request_error", problem), false, null);
      return;
    }
    if (count) {
      sendJson(http, Reply.text(""), 200, new JsonObject().put("input_tokens", Math.max(1, rec.body().length() / 4)));
      return;
    }
    respond(http, rec, runScript(body), Boolean.TRUE.equals(body.getValue("stream")), model);
  }

  /** The Messages API's own checks, with its wording. */
  private static String problemWith(JsonObject body, boolean messageCall) {
    if (messageCall && !(body.getValue("max_tokens") instanceof Number)) {
      return "max_tokens: Field required";
    }
    if (!(body.getValue("messages") instanceof JsonArray messages)) {
      return "messages: Field required";
    }
    Set<String> pending = new HashSet<>();
    for (int i = 0; i < messages.size(); i++) {
      JsonObject message = messages.getJsonObject(i);
      String role = message.getString("role");
      if ("system".equals(role)) {
        continue; // a mid-conversation system message (Claude Code 2.1.332 sends them) pairs nothing
      }
      if (!"user".equals(role) && !"assistant".equals(role)) {
        return "messages." + i + ".role: Input should be 'user', 'assistant' or 'system'";
      }
      JsonArray content = message.getValue("content") instanceof JsonArray c ? c : new JsonArray();
      Set<String> answered = new HashSet<>();
      Set<String> calls = new HashSet<>();
      for (int b = 0; b < content.size(); b++) {
        JsonObject block = content.getJsonObject(b);
        if ("tool_result".equals(block.getString("type"))) {
          String id = block.getString("tool_use_id");
          if (!pending.contains(id)) {
            return "messages." + i + ".content." + b + ": unexpected `tool_use_id` found in `tool_result` blocks: "
                + id + ". Each `tool_result` block must have a corresponding `tool_use` block in the previous "
                + "message.";
          }
          answered.add(id);
        } else if ("tool_use".equals(block.getString("type"))) {
          calls.add(block.getString("id"));
        }
      }
      if (!answered.containsAll(pending)) {
        Set<String> missing = new HashSet<>(pending);
        missing.removeAll(answered);
        return "messages." + (i - 1) + ": `tool_use` ids were found without `tool_result` blocks immediately "
            + "after: " + String.join(", ", missing) + ". Each `tool_use` block must have a corresponding "
            + "`tool_result` block in the next message.";
      }
      pending = calls;
    }
    return null;
  }

  private void front(HttpServerRequest http, int status, String code, String message) {
    send(http, Reply.text(""), status, headers("content-type", "application/json", "apim-request-id",
        nextId("apim-")), List.of(new JsonObject().put("error", new JsonObject().put("code", code)
        .put("message", message)).toBuffer()), false);
  }

  @Override
  protected void respond(HttpServerRequest http, RecordedRequest rec, Reply reply, boolean stream, String model) {
    if (reply.kind == Reply.Kind.ERROR && reply.status == 401) {
      // A wrong key never reaches Anthropic: Azure's front end answers in its own shape.
      front(http, 401, "401", "Access denied due to invalid subscription key or wrong API endpoint. Make sure to "
          + "provide a valid key for an active subscription and use a correct regional API endpoint for your "
          + "resource.");
      return;
    }
    anthropicAnswer(http, rec, reply, stream, model);
  }

  @Override
  protected String presentedKey(RecordedRequest rec) {
    String key = rec.header("api-key");
    return key != null ? key : rec.header("x-api-key");
  }
}
