package dev.turnpike.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.turnpike.contract.Admission;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class VirtualKeysTest {
  private static final VirtualKeys KEYS = VirtualKeys.fromGovernanceJson(new JsonObject("""
      {"teams": [{"id": "platform", "customer": "acme"}, {"id": "research"}],
       "virtual_keys": [
         {"id": "vk-alice", "value": "tp-vk-alice-secret", "team": "platform"},
         {"id": "vk-bob",   "value": "tp-vk-bob-secret",   "team": "platform", "customer": "globex"},
         {"id": "vk-carol", "value": "tp-vk-carol-secret", "team": "research"},
         {"id": "vk-ci",    "value": "tp-vk-ci-secret"},
         {"id": "vk-dave",  "value": "tp-vk-dave-secret",  "team": "platform", "disabled": true},
         {"id": "vk-unset", "value": "", "team": "platform"},
         {"id": "vk-null",  "team": "platform"}]}"""));

  @Test
  void should_admit_as_the_keys_id_with_its_teams_customer_when_the_value_is_configured() {
    assertEquals(new Admission("vk-alice", "vk-alice", "platform", "acme"), KEYS.lookup("tp-vk-alice-secret"));
  }

  @Test
  void should_use_the_keys_own_customer_when_it_names_one_besides_its_team() {
    assertEquals(new Admission("vk-bob", "vk-bob", "platform", "globex"), KEYS.lookup("tp-vk-bob-secret"));
  }

  @Test
  void should_leave_the_customer_empty_when_the_keys_team_has_none() {
    assertEquals(new Admission("vk-carol", "vk-carol", "research", null), KEYS.lookup("tp-vk-carol-secret"));
  }

  @Test
  void should_leave_team_and_customer_empty_when_the_key_belongs_to_no_team() {
    assertEquals(new Admission("vk-ci", "vk-ci", null, null), KEYS.lookup("tp-vk-ci-secret"));
  }

  @Test
  void should_refuse_a_key_when_it_is_disabled() {
    assertNull(KEYS.lookup("tp-vk-dave-secret"));
  }

  @Test
  void should_refuse_a_credential_when_it_is_a_keys_id_rather_than_its_value() {
    assertNull(KEYS.lookup("vk-alice"));
  }

  @Test
  void should_refuse_an_empty_credential_when_a_key_has_an_empty_or_missing_value() {
    assertNull(KEYS.lookup(""));
  }

  @Test
  void should_refuse_a_credential_when_it_is_unknown_null_or_differs_in_case() {
    assertNull(KEYS.lookup("tp-vk-mallory"));
    assertNull(KEYS.lookup(null));
    assertNull(KEYS.lookup("TP-VK-ALICE-SECRET"));
  }

  @Test
  void should_admit_nobody_when_governance_configures_no_keys() {
    assertNull(VirtualKeys.fromGovernanceJson(new JsonObject()).lookup("tp-vk-alice-secret"));
  }
}
