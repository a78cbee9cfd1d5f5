package dev.turnpike.provider.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AwsCredentialsTest {
  private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final String TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN";

  @Test
  void should_show_only_the_last_four_characters_of_the_key_id_and_never_secret_or_token() {
    String text = new AwsCredentials(KEY_ID, SECRET, TOKEN).toString();

    assertTrue(text.contains("accessKeyId=***MPLE"), text);
    assertFalse(text.contains(KEY_ID), text);
    assertFalse(text.contains(SECRET), text);
    assertFalse(text.contains(TOKEN), text);
    assertTrue(text.contains("sessionToken=***"), text);
  }

  @Test
  void should_hide_a_short_key_id_entirely() {
    String text = new AwsCredentials("AKIDEXAMPLE", SECRET).toString();

    assertTrue(text.contains("accessKeyId=***,"), text);
    assertFalse(text.contains("MPLE"), text);
    assertTrue(text.contains("sessionToken=none"), text);
  }

  @Test
  void should_take_a_blank_session_token_as_none() {
    AwsCredentials credentials = new AwsCredentials(KEY_ID, SECRET, "  ");

    assertNull(credentials.sessionToken());
    assertFalse(credentials.hasSessionToken());
  }

  @Test
  void should_refuse_missing_key_id_or_secret_without_echoing_the_other() {
    IllegalArgumentException noId = assertThrows(IllegalArgumentException.class,
        () -> new AwsCredentials(" ", SECRET, TOKEN));
    IllegalArgumentException noSecret = assertThrows(IllegalArgumentException.class,
        () -> new AwsCredentials(KEY_ID, null, TOKEN));

    assertFalse(noId.getMessage().contains(SECRET) || noId.getMessage().contains(TOKEN));
    assertEquals("AWS secret access key is missing", noSecret.getMessage());
  }
}
