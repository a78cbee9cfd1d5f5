package dev.turnpike.governance.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.turnpike.contract.Target;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentitiesTest {
  private static final JsonObject GOVERNANCE = new JsonObject("""
      {"customers": [{"id": "acme", "budget": {"max_usd": 1000, "reset": "1M"}}, {"id": "globex"}],
       "teams": [{"id": "platform", "customer": "acme", "budget": {"max_usd": 200, "reset": "1w"}}, {"id": "research"}],
       "virtual_keys": [
         {"id": "vk-alice", "value": "tp-vk-alice-secret", "team": "platform",
          "budget": {"max_usd": 20, "reset": "1d"}, "rate_limit": {"requests_per_minute": 60, "tokens_per_minute": 400000}},
         {"id": "vk-bob",   "value": "tp-vk-bob-secret",   "team": "platform", "customer": "globex"},
         {"id": "vk-carol", "value": "tp-vk-carol-secret", "team": "research",
          "allowed_providers": ["anthropic"], "allowed_models": ["anthropic/claude-haiku-4-5", "claude-sonnet-4-5"]},
         {"id": "vk-ci",    "value": "tp-vk-ci-secret", "expires_at": "2027-01-01T00:00:00Z"},
         {"id": "vk-dave",  "value": "tp-vk-dave-secret",  "team": "platform", "disabled": true}]}""");

  private static Identities parse(JsonObject governance, List<String> problems) {
    return Identities.parse(governance, KeyHasher.withRandomSalt(), problems);
  }

  private static Identities valid() {
    List<String> problems = new ArrayList<>();
    Identities identities = parse(GOVERNANCE, problems);
    assertEquals(List.of(), problems);
    return identities;
  }

  @Test
  void should_find_a_key_by_its_value_with_its_teams_customer() {
    Identities.VirtualKey alice = valid().byValue("tp-vk-alice-secret");

    assertEquals("vk-alice", alice.id());
    assertEquals("platform", alice.team());
    assertEquals("acme", alice.customer());
    assertEquals(20_000_000_000L, alice.budget().maxNanoUsd());
    assertEquals(new RateLimitSpec(60, 400_000, 0, 0), alice.rateLimit());
  }

  @Test
  void should_prefer_the_keys_own_customer_and_leave_it_empty_when_its_team_has_none() {
    assertEquals("globex", valid().byValue("tp-vk-bob-secret").customer());
    assertNull(valid().byValue("tp-vk-carol-secret").customer());
  }

  @Test
  void should_find_nothing_for_an_id_a_wrong_case_an_unknown_value_or_null() {
    Identities identities = valid();

    assertNull(identities.byValue("vk-alice"));
    assertNull(identities.byValue("TP-VK-ALICE-SECRET"));
    assertNull(identities.byValue("tp-vk-mallory"));
    assertNull(identities.byValue(null));
  }

  @Test
  void should_keep_disabled_and_expiring_keys_so_the_refusal_can_say_why() {
    Identities identities = valid();

    assertTrue(identities.byValue("tp-vk-dave-secret").disabled());
    Identities.VirtualKey ci = identities.byValue("tp-vk-ci-secret");
    assertFalse(ci.expired(Instant.parse("2026-12-31T23:59:59Z")));
    assertTrue(ci.expired(Instant.parse("2027-01-01T00:00:00Z")));
  }

  @Test
  void should_allow_only_listed_providers_and_models_when_a_key_has_allow_lists() {
    Identities.VirtualKey carol = valid().byValue("tp-vk-carol-secret");

    assertTrue(carol.mayUse(new Target("anthropic", "anthropic", "claude-haiku-4-5")));
    assertTrue(carol.mayUse(new Target("anthropic", "anthropic", "claude-sonnet-4-5")), "a bare model name");
    assertFalse(carol.mayUse(new Target("anthropic", "anthropic", "claude-opus-4-5")));
    assertFalse(carol.mayUse(new Target("openai", "openai", "claude-sonnet-4-5")), "provider not allowed");
    assertTrue(valid().byValue("tp-vk-alice-secret").mayUse(new Target("groq", "openai", "llama")), "no lists: any");
  }

  @Test
  void should_not_keep_any_key_value_in_memory_in_the_clear() {
    String dump = valid().keys().toString();

    assertFalse(dump.contains("tp-vk-alice-secret"), dump);
  }

  @Test
  void should_report_every_problem_with_its_path_when_the_config_is_wrong() {
    List<String> problems = new ArrayList<>();
    parse(new JsonObject("""
        {"teams": [{"id": "t", "customer": "nobody"}],
         "virtual_keys": [
           {"id": "a", "value": "dup-secret-value", "team": "ghost", "budget": {"max_usd": -1}},
           {"id": "b", "value": "dup-secret-value", "rate_limit": {"requests_per_minute": 0.5}, "colour": "red"},
           {"value": "x"},
           {"id": "c", "budget": {"max_usd": 5, "reset": "2d"}, "value": "y", "expires_at": "tomorrow"}]}"""), problems);

    String all = String.join("\n", problems);
    assertTrue(all.contains("governance.teams[0].customer 'nobody' is not in governance.customers"), all);
    assertTrue(all.contains("governance.virtual_keys[0].team 'ghost' is not in governance.teams"), all);
    assertTrue(all.contains("governance.virtual_keys[0].budget.max_usd must be a number of USD, 0 or more"), all);
    assertTrue(all.contains("governance.virtual_keys[1] has the same value as virtual key 'a'"), all);
    assertTrue(all.contains("governance.virtual_keys[1].rate_limit.requests_per_minute must be a whole number"), all);
    assertTrue(all.contains("governance.virtual_keys[1].colour is not a known setting"), all);
    assertTrue(all.contains("governance.virtual_keys[2] needs an id"), all);
    assertTrue(all.contains("governance.virtual_keys[3].budget.reset must be one of 1m 5m 1h 1d 1w 1M 1Q 1Y"), all);
    assertTrue(all.contains("governance.virtual_keys[3].expires_at must be an ISO-8601 UTC time"), all);
    assertFalse(all.contains("dup-secret-value"), "no key value is quoted: " + all);
  }
}
