package dev.turnpike.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.config.ProviderConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static ConfigLoader loader(Map<String, String> env) {
    return new ConfigLoader(env::get);
  }

  @Test
  void should_use_embedded_defaults_when_no_file_is_given() {
    JsonObject config = loader(Map.of("OPENAI_API_KEY", "sk-o", "GROQ_API_KEY", "gsk")).load(null, null);

    assertEquals(8080, config.getJsonObject("server").getInteger("port"));
    assertEquals("127.0.0.1", config.getJsonObject("server").getString("host"), "a developer's own gateway");
    assertTrue(config.getJsonObject("cluster").getBoolean("enabled"));
    assertFalse(config.getJsonObject("governance").getBoolean("enforce_virtual_keys"));
    JsonObject providers = config.getJsonObject("providers");
    assertEquals("sk-o", providers.getJsonObject("openai").getJsonArray("keys").getJsonObject(0).getString("value"));
    assertEquals("https://api.groq.com/openai", providers.getJsonObject("groq").getString("base_url"));
    assertTrue(providers.getJsonObject("anthropic").getJsonArray("keys").isEmpty(), "no key set, none invented");
    assertFalse(providers.containsKey("mistral"), "only providers whose key is set, besides the two defaults");
  }

  @Test
  void should_add_a_gemini_provider_at_google_ai_studio_when_its_key_is_set() {
    JsonObject providers = loader(Map.of("GEMINI_API_KEY", "AIza-test")).load(null, null).getJsonObject("providers");
    JsonObject gemini = providers.getJsonObject("gemini");
    assertEquals("gemini", gemini.getString("dialect"));
    assertEquals("https://generativelanguage.googleapis.com", gemini.getString("base_url"));
    assertEquals("AIza-test", gemini.getJsonArray("keys").getJsonObject(0).getString("value"));

    JsonObject configured = loader(Map.of()).prepare(new JsonObject().put("providers", new JsonObject()
        .put("mine", new JsonObject().put("dialect", "gemini").put("keys", new io.vertx.core.json.JsonArray()
            .add("AIza-other")))));
    assertFalse(configured.getJsonObject("providers").getJsonObject("mine").containsKey("base_url"),
        "no base_url needed: the dialect knows Google's endpoint");
    assertEquals("https://generativelanguage.googleapis.com", dev.turnpike.contract.config.ProviderConfig.fromJson(
        "mine", configured.getJsonObject("providers").getJsonObject("mine")).baseUrl());
  }

  @Test
  void should_resolve_env_references_and_apply_the_port_override(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("turnpike.json");
    Files.writeString(file, """
        {"server": {"port": 9000},
         "providers": {"openai": {"dialect": "openai", "base_url": "http://127.0.0.1:1",
                                  "keys": [{"value": "env.MY_KEY", "weight": 2}]}}}""");

    JsonObject config = loader(Map.of("MY_KEY", "sk-resolved")).load(file, 9123);

    assertEquals(9123, config.getJsonObject("server").getInteger("port"));
    assertEquals("sk-resolved", config.getJsonObject("providers").getJsonObject("openai").getJsonArray("keys")
        .getJsonObject(0).getString("value"));
  }

  @Test
  void should_read_yaml_with_the_same_shape(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("turnpike.yaml");
    Files.writeString(file, """
        server:
          port: 9001
        providers:
          anthropic:
            dialect: anthropic
            base_url: http://127.0.0.1:2
        fallbacks:
          "anthropic/*": ["anthropic/claude-haiku-4-5"]
        """);

    JsonObject config = loader(Map.of()).load(file, null);

    assertEquals(9001, config.getJsonObject("server").getInteger("port"));
    assertEquals("anthropic/claude-haiku-4-5", config.getJsonObject("fallbacks").getJsonArray("anthropic/*")
        .getString(0));
  }

  @Test
  void should_report_every_problem_at_once_when_config_is_bad() {
    JsonObject bad = new JsonObject("""
        {"server": {"port": 70000},
         "providers": {"x": {"dialect": "smoke-signals", "base_url": "ftp://nowhere"},
                       "ok": {"dialect": "openai", "base_url": "http://127.0.0.1:3"}},
         "fallbacks": {"ok/*": ["nobody/model"]},
         "governance": {"virtual_keys": [{"value": "v"}]}}""");

    ConfigException error = assertThrows(ConfigException.class, () -> loader(Map.of()).prepare(bad));

    assertEquals(5, error.problems().size(), error.getMessage());
    assertTrue(error.getMessage().contains("server.port"));
    assertTrue(error.getMessage().contains("providers.x.dialect 'smoke-signals'"));
    assertTrue(error.getMessage().contains("providers.x.base_url"));
    assertTrue(error.getMessage().contains("'nobody/model'"));
    assertTrue(error.getMessage().contains("virtual_keys[0] needs an id"));
  }

  @Test
  void should_check_the_bedrock_section() {
    JsonObject bad = new JsonObject("""
        {"bedrock": {"region": "Mars 1", "inference_profiles": ["us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                                                                "spaces are not ids", 7],
                     "account": "123"}}""");

    ConfigException error = assertThrows(ConfigException.class, () -> loader(Map.of()).prepare(bad));

    assertEquals(4, error.problems().size(), error.getMessage());
    assertTrue(error.getMessage().contains("bedrock.account is not a known setting"), error.getMessage());
    assertTrue(error.getMessage().contains("bedrock.region must be an AWS region"), error.getMessage());
    assertTrue(error.getMessage().contains("bedrock.inference_profiles[1]"), error.getMessage());
    assertTrue(error.getMessage().contains("bedrock.inference_profiles[2]"), error.getMessage());
    loader(Map.of()).prepare(new JsonObject("""
        {"bedrock": {"region": "eu-west-1", "inference_profiles": ["eu.anthropic.claude-sonnet-4-5-20250929-v1:0"]}}
        """));
  }

  @Test
  void should_read_an_azure_provider_with_its_deployments_and_api_version() {
    JsonObject config = loader(Map.of("AZURE_KEY", "azure-secret")).prepare(new JsonObject("""
        {"providers": {"azure": {"dialect": "azure", "base_url": "https://res.services.ai.azure.com",
                                 "keys": ["env.AZURE_KEY"], "api_version": "2025-04-01-preview",
                                 "deployments": {"gpt-5": "my-gpt5-deploy"}}}}"""));

    ProviderConfig azure = ProviderConfig.fromJson("azure", config.getJsonObject("providers").getJsonObject("azure"));

    assertEquals("2025-04-01-preview", azure.apiVersion());
    assertEquals("my-gpt5-deploy", azure.deploymentOf("gpt-5"));
    assertEquals("claude-sonnet-4-5", azure.deploymentOf("claude-sonnet-4-5"), "unmapped: the model's own name");
    assertEquals("azure-secret", azure.keys().get(0).value());
  }

  @Test
  void should_report_each_azure_setting_that_cannot_work() {
    JsonObject bad = new JsonObject("""
        {"providers": {"azure": {"dialect": "azure", "base_url": "https://res.services.ai.azure.com/anthropic/",
                                 "api_version": "latest", "deployments": {"gpt-5": 5, "gpt-4o": "ok"}},
                       "openai": {"dialect": "openai", "base_url": "http://127.0.0.1:3",
                                  "deployments": {"gpt-5": "x"}}}}""");

    ConfigException error = assertThrows(ConfigException.class, () -> loader(Map.of()).prepare(bad));

    assertEquals(5, error.problems().size(), error.getMessage());
    assertTrue(error.getMessage().contains("providers.azure (azure) needs keys"), error.getMessage());
    assertTrue(error.getMessage().contains("providers.azure.base_url must be the resource's endpoint"));
    assertTrue(error.getMessage().contains("providers.azure.api_version must be an Azure OpenAI API version"));
    assertTrue(error.getMessage().contains("providers.azure.deployments.gpt-5 must be the name of a deployment"));
    assertTrue(error.getMessage().contains("providers.openai.deployments applies to dialect azure only"));
  }

  @Test
  void should_refuse_a_file_that_is_not_json() throws Exception {
    Path file = Files.createTempFile("turnpike", ".json");
    Files.writeString(file, "{ nope");

    ConfigException error = assertThrows(ConfigException.class, () -> loader(Map.of()).load(file, null));

    assertTrue(error.getMessage().contains("is not valid JSON"), error.getMessage());
  }

  private static JsonObject publicNode(String governance, String admin) {
    return new JsonObject("{\"server\": {\"host\": \"0.0.0.0\"}, \"governance\": " + governance
        + (admin == null ? "" : ", \"admin\": " + admin) + "}");
  }

  @Test
  void should_refuse_a_reachable_node_that_admits_anyone_or_has_an_open_admin_api() {
    ConfigException error = assertThrows(ConfigException.class,
        () -> loader(Map.of()).prepare(publicNode("{\"enforce_virtual_keys\": false}", null)));

    assertEquals(2, error.problems().size(), error.getMessage());
    assertTrue(error.problems().get(0).contains("governance admits anyone"), error.getMessage());
    assertTrue(error.problems().get(1).contains("admin.token"), error.getMessage());
  }

  @Test
  void should_refuse_a_reachable_node_whose_virtual_key_or_token_variables_are_empty() {
    ConfigException error = assertThrows(ConfigException.class, () -> loader(Map.of()).prepare(publicNode(
        "{\"enforce_virtual_keys\": true, \"virtual_keys\": [{\"id\": \"vk\", \"value\": \"env.VK\"}]}",
        "{\"token\": \"env.ADMIN\"}")));

    assertEquals(2, error.problems().size(), error.getMessage());
  }

  @Test
  void should_start_a_reachable_node_with_virtual_keys_or_an_explicit_open_gateway_and_a_token() {
    JsonObject keyed = loader(Map.of("VK", "vk-secret", "ADMIN", "admin-secret")).prepare(publicNode(
        "{\"enforce_virtual_keys\": true, \"virtual_keys\": [{\"id\": \"vk\", \"value\": \"env.VK\"}]}",
        "{\"token\": \"env.ADMIN\"}"));
    assertEquals("0.0.0.0", keyed.getJsonObject("server").getString("host"));

    JsonObject open = loader(Map.of()).prepare(publicNode("{\"allow_anonymous\": true}", "{\"token\": \"t\"}"));
    assertTrue(open.getJsonObject("governance").getBoolean("allow_anonymous"));
  }

  @Test
  void should_load_the_designs_whole_example_configuration() {
    JsonObject designExample = new JsonObject("""
        {"server": {"host": "127.0.0.1", "port": 8080, "drain_seconds": 30},
         "providers": {"openai": {"dialect": "openai", "base_url": "https://api.openai.com", "keys": []},
                       "groq": {"dialect": "openai", "base_url": "https://api.groq.com/openai", "keys": []}},
         "aliases": {"claude-sonnet-4-5": "openai/gpt-5"},
         "fallbacks": {"anthropic/*": ["openai/gpt-5"]},
         "routing_rules": [{"name": "Budget Overflow Route", "cel_expression": "budget_used > 85",
           "targets": [{"provider": "groq", "model": "llama-3.3-70b-versatile", "weight": 1}],
           "scope": "global", "priority": 5}],
         "governance": {"enforce_virtual_keys": true,
           "customers": [{"id": "acme", "budget": {"max_usd": 1000, "reset": "1M"}}],
           "teams": [{"id": "platform", "customer": "acme", "budget": {"max_usd": 200, "reset": "1w"}}],
           "virtual_keys": [{"id": "vk-alice", "value": "env.VK", "team": "platform",
                             "budget": {"max_usd": 20, "reset": "1d"},
                             "rate_limit": {"requests_per_minute": 60, "tokens_per_minute": 400000}}]},
         "pricing": {"openai/gpt-5": {"input_per_mtok": 1.25, "output_per_mtok": 10.0}}}""");

    JsonObject loaded = loader(Map.of("VK", "vk-alice-secret")).prepare(designExample);

    assertEquals("vk-alice-secret",
        loaded.getJsonObject("governance").getJsonArray("virtual_keys").getJsonObject(0).getString("value"));
  }

  @Test
  void should_refuse_a_budget_a_rate_limit_or_a_price_it_could_not_enforce_naming_each() {
    ConfigException error = assertThrows(ConfigException.class, () -> loader(Map.of()).prepare(new JsonObject("""
        {"providers": {"groq": {"dialect": "openai", "base_url": "https://api.groq.com/openai",
                                "rate_limit": {"requests_per_second": 5}}},
         "governance": {"virtual_keys": [{"id": "vk", "value": "v", "budget": {"max_usd": "twenty", "reset": "1d"}}]},
         "pricing": {"groq/llama": {"input_per_mtok": 0.5}},
         "request_log": {"retention": 3, "store": "s3"}, "tracing": {"protocol": "thrift"}}""")));

    String all = String.join("\n", error.problems());
    assertTrue(all.contains("providers.groq.rate_limit.requests_per_second is not a known setting"), all);
    assertTrue(all.contains("governance.virtual_keys[0].budget.max_usd must be a number of USD"), all);
    assertTrue(all.contains("pricing: output_per_mtok must be a number"), all);
    assertTrue(all.contains("request_log.retention is not a known setting"), all);
    assertTrue(all.contains("request_log.store must be auto, postgres, embedded or memory, not s3"), all);
    assertTrue(all.contains("tracing.protocol must be http/protobuf or grpc, not thrift"), all);
  }

  @Test
  void should_refuse_an_unknown_key_naming_the_known_ones() {
    ConfigException error = assertThrows(ConfigException.class, () -> loader(Map.of())
        .prepare(new JsonObject("{\"server\": {\"max_inflight\": 5}, \"timeouts\": {\"idle_ms\": -1}}")));

    assertEquals(2, error.problems().size(), error.getMessage());
    assertTrue(error.problems().get(0).contains("server.max_inflight is not a known setting"), error.getMessage());
    assertTrue(error.problems().get(0).contains("max_in_flight"), "names the right spelling");
    assertTrue(error.problems().get(1).contains("timeouts.idle_ms must be a positive number"), error.getMessage());
  }

  @Test
  void should_refuse_a_routing_rule_that_does_not_compile_naming_the_rule() {
    ConfigException error = assertThrows(ConfigException.class, () -> loader(Map.of()).prepare(new JsonObject("""
        {"providers": {"openai": {"dialect": "openai", "base_url": "http://127.0.0.1:1"}},
         "routing_rules": [{"name": "typo", "cel_expression": "budget_usd > 85",
                            "targets": [{"provider": "openai", "model": "gpt-5"}]}]}""")));

    assertEquals(1, error.problems().size(), error.getMessage());
    assertTrue(error.problems().get(0).contains("'typo'") && error.problems().get(0).contains("budget_usd"),
        error.getMessage());
  }

  @Test
  void should_read_bedrock_converse_models_and_refuse_them_malformed_or_on_another_dialect() {
    JsonObject good = loader(Map.of()).prepare(new JsonObject("""
        {"providers": {"bedrock": {"dialect": "bedrock", "region": "us-east-1", "keys": ["k"],
                                   "converse_models": ["arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc"]}}}"""));
    assertEquals(List.of("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc"),
        ProviderConfig.fromJson("bedrock", good.getJsonObject("providers").getJsonObject("bedrock")).converseModels());

    ConfigException error = assertThrows(ConfigException.class, () -> loader(Map.of()).prepare(new JsonObject("""
        {"providers": {"bedrock": {"dialect": "bedrock", "region": "us-east-1", "keys": ["k"],
                                   "converse_models": ["meta.llama3-70b-instruct-v1:0", ""]},
                       "openai": {"dialect": "openai", "base_url": "http://127.0.0.1:1",
                                  "converse_models": ["meta.llama3-70b-instruct-v1:0"]}}}""")));

    assertEquals(2, error.problems().size(), error.getMessage());
    assertTrue(error.getMessage().contains("providers.bedrock.converse_models must be a list of Bedrock model ids"),
        error.getMessage());
    assertTrue(error.getMessage().contains("providers.openai.converse_models applies to the bedrock dialect only"),
        error.getMessage());
  }
}
