package dev.turnpike.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.turnpike.contract.config.ProviderConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A {@code cohere} provider needs nothing but a key: Cohere has one global endpoint. */
class CohereConfigTest {

  @Test
  void should_default_the_base_url_of_a_cohere_provider_to_the_public_api() {
    JsonObject config = new JsonObject().put("providers", new JsonObject().put("co", new JsonObject()
        .put("dialect", "cohere").put("keys", new JsonArray().add("env.CO_API_KEY"))));

    JsonObject prepared = new ConfigLoader(Map.of("CO_API_KEY", "co-key")::get).prepare(config);
    ProviderConfig provider = ProviderConfig.fromJson("co", prepared.getJsonObject("providers").getJsonObject("co"));

    assertEquals("https://api.cohere.com", provider.baseUrl());
    assertEquals("co-key", provider.keys().get(0).value());
  }

  @Test
  void should_offer_cohere_in_the_defaults_only_when_its_key_is_set() {
    JsonObject with = new ConfigLoader(Map.of("CO_API_KEY", "co-key")::get).load(null, null);
    JsonObject without = new ConfigLoader(Map.<String, String>of()::get).load(null, null);

    JsonObject cohere = with.getJsonObject("providers").getJsonObject("cohere");
    assertEquals("cohere", cohere.getString("dialect"));
    assertEquals("https://api.cohere.com", cohere.getString("base_url"));
    assertEquals("co-key", cohere.getJsonArray("keys").getJsonObject(0).getString("value"));
    assertFalse(without.getJsonObject("providers").containsKey("cohere"));
  }
}
