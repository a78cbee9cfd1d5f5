package dev.turnpike.provider.auth;

import static dev.turnpike.provider.auth.ServiceAccountFiles.CLIENT_EMAIL;
import static dev.turnpike.provider.auth.ServiceAccountFiles.KEYS;
import static dev.turnpike.provider.auth.ServiceAccountFiles.KEY_ID;
import static dev.turnpike.provider.auth.ServiceAccountFiles.PROJECT_ID;
import static dev.turnpike.provider.auth.ServiceAccountFiles.file;
import static dev.turnpike.provider.auth.ServiceAccountFiles.quotesKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class GoogleServiceAccountTest {
  private static final String TOKEN_URI = "https://oauth2.googleapis.com/token";

  @Test
  void should_read_every_field_when_parsing_a_key_file_as_google_issues_it() {
    GoogleServiceAccount account = GoogleServiceAccount.parse(file(TOKEN_URI).toString());

    assertEquals(CLIENT_EMAIL, account.clientEmail());
    assertEquals(KEY_ID, account.privateKeyId());
    assertEquals(PROJECT_ID, account.projectId());
    assertEquals(TOKEN_URI, account.tokenUri());
    assertEquals("RSA", account.privateKey().getAlgorithm());
    assertArrayEquals(KEYS.getPrivate().getEncoded(), account.privateKey().getEncoded(), "same key material");
  }

  @Test
  void should_default_the_token_uri_and_leave_optional_fields_null_when_the_file_omits_them() {
    ObjectNode json = file(TOKEN_URI);
    json.remove("token_uri");
    json.remove("private_key_id");
    json.remove("project_id");

    GoogleServiceAccount account = GoogleServiceAccount.parse(json.toString());

    assertEquals(GoogleServiceAccount.DEFAULT_TOKEN_URI, account.tokenUri());
    assertEquals("https://oauth2.googleapis.com/token", GoogleServiceAccount.DEFAULT_TOKEN_URI);
    assertNull(account.privateKeyId());
    assertNull(account.projectId());
  }

  @Test
  void should_accept_a_pem_whose_newlines_were_flattened_to_backslash_n_when_pasted_through_an_environment() {
    ObjectNode json = file(TOKEN_URI);
    json.put("private_key", ServiceAccountFiles.pem(KEYS.getPrivate()).replace("\n", "\\n"));

    GoogleServiceAccount account = GoogleServiceAccount.parse(json.toString());

    assertArrayEquals(KEYS.getPrivate().getEncoded(), account.privateKey().getEncoded());
  }

  @Test
  void should_hide_the_key_when_printed() {
    GoogleServiceAccount account = GoogleServiceAccount.parse(file(TOKEN_URI).toString());

    String printed = account.toString();

    assertTrue(printed.contains(CLIENT_EMAIL), printed);
    assertTrue(printed.contains("(hidden)"), printed);
    assertFalse(quotesKey(printed), printed);
    assertFalse(printed.contains(account.privateKey().toString()), "the key's own toString stays out");
  }

  @Test
  void should_name_the_missing_field_when_client_email_or_private_key_is_absent() {
    for (String field : new String[] {"client_email", "private_key"}) {
      ObjectNode json = file(TOKEN_URI);
      json.remove(field);

      IllegalArgumentException error = parseError(json.toString());

      assertTrue(error.getMessage().contains(field), error.getMessage());
    }
  }

  @Test
  void should_not_quote_the_file_when_it_is_not_valid_json() {
    // Cut mid-key: a JSON parser's message would show the text around where it stopped.
    String json = file(TOKEN_URI).toString();
    String broken = json.substring(0, json.indexOf("-----END")) + "\u0001";
    assertTrue(quotesKey(broken), "the check below would notice a quoted key");

    IllegalArgumentException error = parseError(broken);

    assertTrue(error.getMessage().contains("not valid JSON"), error.getMessage());
    assertFalse(quotesKey(error.getMessage()), error.getMessage());
  }

  @Test
  void should_refuse_with_a_hint_when_the_key_is_pkcs1() {
    ObjectNode json = file(TOKEN_URI);
    String body = ServiceAccountFiles.base64Lines(KEYS.getPrivate().getEncoded());
    json.put("private_key", "-----BEGIN RSA PRIVATE KEY-----\n" + body + "-----END RSA PRIVATE KEY-----\n");

    IllegalArgumentException error = parseError(json.toString());

    assertTrue(error.getMessage().contains("PKCS#1"), error.getMessage());
    assertTrue(error.getMessage().contains("openssl pkcs8"), error.getMessage());
    assertFalse(quotesKey(error.getMessage()), error.getMessage());
  }

  @Test
  void should_refuse_a_pem_body_that_is_not_base64() {
    ObjectNode json = file(TOKEN_URI);
    json.put("private_key", ServiceAccountFiles.pem(KEYS.getPrivate()).replaceFirst("MII", "M*I"));

    IllegalArgumentException error = parseError(json.toString());

    assertTrue(error.getMessage().contains("not valid base64"), error.getMessage());
    assertFalse(quotesKey(error.getMessage()), error.getMessage());
  }

  @Test
  void should_refuse_a_truncated_der_without_quoting_it() {
    ObjectNode json = file(TOKEN_URI);
    byte[] der = KEYS.getPrivate().getEncoded();
    byte[] truncated = Arrays.copyOf(der, der.length / 2);
    json.put("private_key", "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(truncated)
        + "\n-----END PRIVATE KEY-----\n");

    IllegalArgumentException error = parseError(json.toString());

    assertTrue(error.getMessage().contains("not an RSA private key in PKCS#8 form"), error.getMessage());
    assertFalse(quotesKey(error.getMessage()), error.getMessage());
  }

  @Test
  void should_refuse_a_pkcs8_key_that_is_not_rsa() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    PrivateKey ecKey = ec.generateKeyPair().getPrivate();
    ObjectNode json = file(TOKEN_URI);
    json.put("private_key", ServiceAccountFiles.pem(ecKey));

    IllegalArgumentException error = parseError(json.toString());

    assertTrue(error.getMessage().contains("not an RSA private key"), error.getMessage());
  }

  @Test
  void should_refuse_a_private_key_that_is_not_a_pem_block() {
    ObjectNode json = file(TOKEN_URI);
    json.put("private_key", Base64.getEncoder().encodeToString(KEYS.getPrivate().getEncoded()));

    IllegalArgumentException error = parseError(json.toString());

    assertTrue(error.getMessage().contains("not a PEM block"), error.getMessage());
    assertFalse(quotesKey(error.getMessage()), error.getMessage());
  }

  @Test
  void should_refuse_credentials_of_another_type() {
    ObjectNode json = file(TOKEN_URI);
    json.put("type", "authorized_user");

    IllegalArgumentException error = parseError(json.toString());

    assertTrue(error.getMessage().contains("authorized_user"), error.getMessage());
    assertTrue(error.getMessage().contains("service_account"), error.getMessage());
  }

  @Test
  void should_refuse_a_token_uri_that_is_not_an_http_url() {
    IllegalArgumentException error = parseError(file("file:///etc/passwd").toString());

    assertTrue(error.getMessage().contains("token_uri"), error.getMessage());
  }

  @Test
  void should_refuse_input_that_is_empty_not_an_object_or_has_a_non_string_field() {
    assertTrue(parseError("").getMessage().contains("empty"));
    assertTrue(parseError("[1,2]").getMessage().contains("not a JSON object"));
    ObjectNode json = file(TOKEN_URI);
    json.put("client_email", 42);
    assertTrue(parseError(json.toString()).getMessage().contains("client_email is not a string"));
  }

  private static IllegalArgumentException parseError(String json) {
    return assertThrows(IllegalArgumentException.class, () -> GoogleServiceAccount.parse(json));
  }
}
