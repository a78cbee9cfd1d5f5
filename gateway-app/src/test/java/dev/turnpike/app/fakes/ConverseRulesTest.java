package dev.turnpike.app.fakes;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fake Bedrock's Converse checks: what Bedrock accepts passes, each kind of mistake is refused. */
class ConverseRulesTest {
  private static final String LLAMA = "us.meta.llama3-3-70b-instruct-v1:0";
  private static final String NOVA = "us.amazon.nova-pro-v1:0";
  /** The tool-use conversation of the AWS guide "Call a tool with the Converse API", as Bedrock accepts it. */
  private static final String TOOL_USE = """
      {"messages": [
         {"role": "user", "content": [{"text": "What is the most popular song on WZPZ?"}]},
         {"role": "assistant", "content": [{"toolUse": {"toolUseId": "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
                                                        "name": "top_song", "input": {"sign": "WZPZ"}}}]},
         {"role": "user", "content": [{"toolResult": {"toolUseId": "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
             "content": [{"json": {"song": "Elemental Hotel", "artist": "8 Storey Hike"}}]}}]}],
       "toolConfig": {"tools": [{"toolSpec": {"name": "top_song",
           "description": "Get the most popular song played on a radio station.",
           "inputSchema": {"json": {"type": "object", "properties": {"sign": {"type": "string"}},
                                    "required": ["sign"]}}}}]},
       "inferenceConfig": {"maxTokens": 512, "temperature": 0.5}}""";

  @Test
  void should_accept_the_aws_tool_use_example_and_its_count_tokens_form() {
    assertNull(new ConverseRules(LLAMA).converseProblem(new JsonObject(TOOL_USE)));

    JsonObject converse = new JsonObject(TOOL_USE);
    converse.remove("inferenceConfig");
    assertNull(new ConverseRules(LLAMA).countProblem(new JsonObject().put("input",
        new JsonObject().put("converse", converse))));
    assertTrue(new ConverseRules(LLAMA).countProblem(new JsonObject().put("input",
        new JsonObject().put("converse", new JsonObject(TOOL_USE)))).contains("extraneous key [inferenceConfig]"),
        "ConverseTokensRequest has no inferenceConfig");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "an unknown field | /stream | true | extraneous key [stream]",
      "a toolResult without its toolUse | /messages/2/content/0/toolResult/toolUseId | \"tooluse_other\" | no matching toolUse",
      "a blank text block | /messages/0/content/0/text | \"  \" | is blank",
      "roles that do not alternate | /messages/1/role | \"user\" | must alternate",
      "a conversation started by the assistant | /messages/0/role | \"assistant\" | must start with a user message",
      "a system role in messages | /messages/0/role | \"system\" | must be user or assistant",
      "a status for Llama | /messages/2/content/0/toolResult/status | \"error\" | toolResult.status",
      "a forced tool choice for Llama | /toolConfig/toolChoice | {\"any\": {}} | toolChoice.any",
      "a tool name Bedrock refuses | /toolConfig/tools/0/toolSpec/name | \"top.song\" | regular expression",
      "a block with two members | /messages/0/content/0/image | {} | exactly one of",
      "an Anthropic field for Llama | /additionalModelRequestFields | {\"thinking\": {\"type\": \"enabled\"}} | extraneous key [thinking]",
      "a cache point for Llama | /system | [{\"text\": \"s\"}, {\"cachePoint\": {\"type\": \"default\"}}] | prompt caching",
      "an empty stop sequence | /inferenceConfig/stopSequences | [\"\"] | stopSequences",
  })
  void should_refuse(String mistake, String pointer, String json, String expectedWords) {
    JsonObject body = new JsonObject(TOOL_USE);
    set(body, pointer, new JsonObject("{\"v\": " + json + "}").getValue("v"));

    String problem = new ConverseRules(LLAMA).converseProblem(body);

    assertNotNull(problem, mistake);
    assertTrue(problem.contains(expectedWords), mistake + ": " + problem);
  }

  @Test
  void should_refuse_tool_blocks_without_a_tool_config_and_an_unanswered_tool_use() {
    JsonObject noConfig = new JsonObject(TOOL_USE);
    noConfig.remove("toolConfig");
    assertTrue(new ConverseRules(LLAMA).converseProblem(noConfig).contains("toolConfig field must be defined"));

    JsonObject unanswered = new JsonObject(TOOL_USE);
    unanswered.getJsonArray("messages").getJsonObject(2).put("content",
        new JsonArray().add(new JsonObject().put("text", "never mind")));
    assertTrue(new ConverseRules(LLAMA).converseProblem(unanswered).contains("Expected toolResult blocks"));
  }

  @Test
  void should_take_status_cache_points_and_forced_tool_choice_from_nova_only_where_nova_does() {
    JsonObject body = new JsonObject(TOOL_USE);
    set(body, "/messages/2/content/0/toolResult/status", "success");
    set(body, "/toolConfig/toolChoice", new JsonObject().put("tool", new JsonObject().put("name", "top_song")));
    body.put("system", new JsonArray().add(new JsonObject().put("text", "s"))
        .add(new JsonObject().put("cachePoint", new JsonObject().put("type", "default"))));
    assertNull(new ConverseRules(NOVA).converseProblem(body));

    body.getJsonObject("toolConfig").getJsonArray("tools")
        .add(new JsonObject().put("cachePoint", new JsonObject().put("type", "default")));
    assertTrue(new ConverseRules(NOVA).converseProblem(body).contains("caching tools"));
  }

  @Test
  void should_require_a_text_block_beside_a_document() {
    JsonObject body = new JsonObject("""
        {"messages": [{"role": "user", "content": [{"document": {"format": "pdf", "name": "report",
            "source": {"bytes": "JVBERi0xLjQK"}}}]}]}""");

    assertTrue(new ConverseRules(NOVA).converseProblem(body).contains("text block"));
    body.getJsonArray("messages").getJsonObject(0).getJsonArray("content").add(new JsonObject().put("text", "Sum up"));
    assertNull(new ConverseRules(NOVA).converseProblem(body));
  }

  /** Sets the value at a JSON pointer whose parents exist. */
  private static void set(JsonObject root, String pointer, Object value) {
    String[] parts = pointer.substring(1).split("/");
    Object node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      node = node instanceof JsonObject o ? o.getValue(parts[i])
          : ((JsonArray) node).getValue(Integer.parseInt(parts[i]));
    }
    String last = parts[parts.length - 1];
    if (node instanceof JsonObject o) {
      o.put(last, value);
    } else {
      ((JsonArray) node).set(Integer.parseInt(last), value);
    }
  }
}
