package dev.turnpike.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
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
    assertTrue(config.getJsonObject("cluster").getBoolean("enabled"));
    assertFalse(config.getJsonObject("governance").getBoolean("enforce_virtual_keys"));
    JsonObject providers = config.getJsonObject("providers");
    assertEquals("sk-o", providers.getJsonObject("openai").getJsonArray("keys").getJsonObject(0).getString("value"));
    assertEquals("https://api.groq.com/openai", providers.getJsonObject("groq").getString("base_url"));
    assertTrue(providers.getJsonObject("anthropic").getJsonArray("keys").isEmpty(), "no key set, none invented");
    assertFalse(providers.containsKey("mistral"), "only providers whose key is set, besides the two defaults");
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
  void should_refuse_a_file_that_is_not_json() throws Exception {
    Path file = Files.createTempFile("turnpike", ".json");
    Files.writeString(file, "{ nope");

    ConfigException error = assertThrows(ConfigException.class, () -> loader(Map.of()).load(file, null));

    assertTrue(error.getMessage().contains("is not valid JSON"), error.getMessage());
  }
}
