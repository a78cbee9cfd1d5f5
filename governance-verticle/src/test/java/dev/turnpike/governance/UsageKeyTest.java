package dev.turnpike.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UsageKeyTest {
  @Test
  void should_give_back_subject_and_model_when_a_key_is_split() {
    String key = UsageKey.of("vk-alice", "groq/meta-llama/llama-4");

    assertEquals("vk-alice|groq/meta-llama/llama-4", key);
    assertEquals("vk-alice", UsageKey.subject(key));
    assertEquals("groq/meta-llama/llama-4", UsageKey.model(key));
  }

  @Test
  void should_keep_the_whole_model_when_the_client_named_a_model_containing_the_separator() {
    String key = UsageKey.of("key:0123456789abcdef", "anthropic/claude|odd");

    assertEquals("key:0123456789abcdef", UsageKey.subject(key));
    assertEquals("anthropic/claude|odd", UsageKey.model(key));
  }
}
