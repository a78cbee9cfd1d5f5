package dev.turnpike.provider.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.Operation;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.provider.AnthropicSseGrammar;
import dev.turnpike.provider.SseEvent;
import dev.turnpike.provider.TestJson;
import dev.turnpike.provider.openai.OpenAiRequestTranslator;
import dev.turnpike.provider.openai.OpenAiResponseTranslator;
import dev.turnpike.provider.openai.ToolNameMapper;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Azure OpenAI through the shared Chat Completions translators: Azure's own stream and response framing (content
 * filter annotations, an id-less first chunk, cached tokens) in, Anthropic out; every request the translator
 * makes from the OpenAI fixtures within what API version 2024-10-21 accepts.
 */
class AzureOpenAiTranslationTest {
  private static final ProviderConfig PROVIDER = AzureFixtures.provider("https://res.services.ai.azure.com",
      Map.of(), null);

  @TestFactory
  Stream<DynamicTest> should_match_golden_anthropic_stream_when_translating_an_azure_stream() {
    List<String> cases = AzureFixtures.FILES.cases(".azure-stream.txt");
    assertEquals(3, cases.size(), "cases: " + cases);
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      String actual = AzureFixtures.translateStream(AzureFixtures.FILES.bytes(name + ".azure-stream.txt"),
          new int[0]);
      String expected = new String(AzureFixtures.FILES.bytes(name + ".anthropic-stream.txt"));
      assertEquals(SseEvent.listOf(expected), SseEvent.listOf(actual), name);
      AnthropicSseGrammar.assertValid(actual);
    }));
  }

  @TestFactory
  Stream<DynamicTest> should_translate_the_same_when_an_azure_stream_is_split_anywhere() {
    return AzureFixtures.FILES.cases(".azure-stream.txt").stream().map(name -> DynamicTest.dynamicTest(name,
        () -> {
          byte[] stream = AzureFixtures.FILES.bytes(name + ".azure-stream.txt");
          String whole = AzureFixtures.translateStream(stream, new int[0]);
          for (int cut = 1; cut < stream.length; cut += 3) {
            assertEquals(whole, AzureFixtures.translateStream(stream, new int[] {cut}), "split at byte " + cut);
          }
          Random random = new Random(name.hashCode());
          for (int round = 0; round < 20; round++) {
            int[] cuts = random.ints(1 + random.nextInt(30), 1, stream.length).sorted().distinct().toArray();
            assertEquals(whole, AzureFixtures.translateStream(stream, cuts), "random cuts");
          }
        }));
  }

  @TestFactory
  Stream<DynamicTest> should_match_golden_anthropic_message_when_translating_an_azure_response() {
    List<String> cases = AzureFixtures.FILES.cases(".azure-response.json");
    assertEquals(3, cases.size(), "cases: " + cases);
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      ObjectNode message = OpenAiResponseTranslator.toAnthropicMessage(
          AzureFixtures.FILES.json(name + ".azure-response.json"), AzureFixtures.CLIENT_MODEL,
          new ToolNameMapper());
      assertEquals(AzureFixtures.FILES.json(name + ".anthropic-response.json"),
          TestJson.normalized(message), name);
    }));
  }

  @Test
  void should_put_a_note_where_a_pdf_was_when_azure_takes_no_files() {
    JsonNode anthropic = AzureFixtures.OPENAI_FILES.json("document.anthropic-request.json");

    ObjectNode azure = adapted(anthropic, new ToolNameMapper());

    assertEquals(AzureFixtures.FILES.json("document.azure-request.json"), TestJson.normalized(azure));
  }

  @TestFactory
  Stream<DynamicTest> should_send_only_what_api_version_2024_10_21_accepts_for_every_openai_fixture_request() {
    JsonNode schema = AzureFixtures.FILES.json("chat-completions-2024-10-21.request-schema.json");
    List<String> cases = AzureFixtures.OPENAI_FILES.cases(".anthropic-request.json");
    assertTrue(cases.size() >= 15, "cases: " + cases);
    return cases.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      ObjectNode azure = adapted(AzureFixtures.OPENAI_FILES.json(name + ".anthropic-request.json"),
          new ToolNameMapper());
      List<String> problems = new ArrayList<>();
      check(azure, schema, problems);
      assertEquals(List.of(), problems, name + ": " + azure);
      assertFalse(azure.has("model"), "the deployment in the path names the model");
    }));
  }

  private static ObjectNode adapted(JsonNode anthropic, ToolNameMapper names) {
    InvokeRequest request = AzureFixtures.request(Operation.MESSAGES, "gpt-5", anthropic.toString(),
        MultiMap.caseInsensitiveMultiMap(), null);
    return new AzureOpenAiShape().adapt(OpenAiRequestTranslator.toChatCompletions(anthropic, "gpt-5", names),
        request, PROVIDER);
  }

  /** The parts of the 2024-10-21 request schema a translation could break, and tool calls answered in order. */
  private static void check(JsonNode request, JsonNode schema, List<String> problems) {
    Set<String> fields = names(schema.path("fields"));
    request.fieldNames().forEachRemaining(f -> {
      if (!fields.contains(f)) {
        problems.add("Unrecognized request argument supplied: " + f);
      }
    });
    request.path("stream_options").fieldNames().forEachRemaining(f -> {
      if (!names(schema.path("stream_options")).contains(f)) {
        problems.add("stream_options." + f);
      }
    });
    if (request.has("stream_options") && !request.path("stream").asBoolean(false)) {
      problems.add("stream_options without stream");
    }
    JsonNode choice = request.path("tool_choice");
    if (choice.isTextual() && !names(schema.path("tool_choice")).contains(choice.asText())) {
      problems.add("tool_choice " + choice);
    }
    if (request.has("tool_choice") && !request.has("tools")) {
      problems.add("tool_choice without tools");
    }
    for (JsonNode tool : request.path("tools")) {
      tool.fieldNames().forEachRemaining(f -> {
        if (!names(schema.path("tool")).contains(f)) {
          problems.add("tools[]." + f);
        }
      });
      tool.path("function").fieldNames().forEachRemaining(f -> {
        if (!names(schema.path("function")).contains(f)) {
          problems.add("tools[].function." + f);
        }
      });
      if (!tool.path("function").path("name").asText().matches(schema.path("function_name").asText())) {
        problems.add("function name " + tool.path("function").path("name"));
      }
    }
    Set<String> unanswered = new HashSet<>();
    for (JsonNode message : request.path("messages")) {
      String role = message.path("role").asText();
      JsonNode rules = schema.path("messages").path(role);
      if (rules.isMissingNode()) {
        problems.add("role " + role);
        continue;
      }
      message.fieldNames().forEachRemaining(f -> {
        if (!names(rules.path("fields")).contains(f)) {
          problems.add(role + " message field " + f);
        }
      });
      for (JsonNode part : message.path("content")) {
        if (!names(rules.path("parts")).contains(part.path("type").asText())) {
          problems.add(role + " content part " + part.path("type"));
        }
        part.path("image_url").fieldNames().forEachRemaining(f -> {
          if (!names(schema.path("image_url")).contains(f)) {
            problems.add("image_url." + f);
          }
        });
      }
      if (role.equals("tool")) {
        if (!unanswered.remove(message.path("tool_call_id").asText())) {
          problems.add("tool message answers no pending tool call: " + message.path("tool_call_id"));
        }
        continue;
      }
      if (!unanswered.isEmpty()) {
        problems.add("tool calls " + unanswered + " not answered before a " + role + " message");
        unanswered.clear();
      }
      message.path("tool_calls").forEach(call -> unanswered.add(call.path("id").asText()));
    }
  }

  private static Set<String> names(JsonNode array) {
    Set<String> names = new HashSet<>();
    array.forEach(n -> names.add(n.asText()));
    return names;
  }
}
