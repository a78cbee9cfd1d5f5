package dev.turnpike.provider.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SigV4SignerTest {
  /** AWS's documentation example keys, as in the published test suite. */
  private static final AwsCredentials KEYS =
      new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  private static final String TOKEN = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKW";
  private static final AwsCredentials TEMPORARY_KEYS =
      new AwsCredentials(KEYS.accessKeyId(), KEYS.secretAccessKey(), TOKEN);
  private static final String HOST = "bedrock-runtime.us-east-1.amazonaws.com";
  private static final String MODEL_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
  private static final String INVOKE_PATH = "/model/" + SigV4Signer.encodePathSegment(MODEL_ID) + "/invoke";
  private static final Instant NOW = Instant.parse("2025-10-01T09:15:30Z");
  private static final byte[] BODY = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":16}"
      .getBytes(StandardCharsets.UTF_8);
  private static final Map<String, String> JSON = Map.of("content-type", "application/json");

  @Test
  void should_put_model_id_on_the_wire_encoded_once_and_sign_it_encoded_twice() {
    // AWS's own answer to a mis-signed Bedrock call shows the canonical URI it expects: the path as sent, each
    // segment encoded again (quoted in https://github.com/higress-group/higress/issues/2396, and for another
    // non-S3 service in https://github.com/aws/aws-sdk-js/issues/853).
    assertEquals("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke", INVOKE_PATH);

    String canonical = new SigV4Signer(KEYS, "us-east-1", "bedrock")
        .signing("POST", HOST, INVOKE_PATH, null, JSON, Sha256.hex(BODY), true, NOW).canonicalRequest().text();

    assertEquals("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%253A0/invoke", canonical.split("\n")[1]);
  }

  @Test
  void should_encode_colons_and_slashes_of_an_inference_profile_arn_then_encode_them_again_to_sign() {
    String arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-sonnet-4-v1:0";
    String segment = SigV4Signer.encodePathSegment(arn);
    assertEquals("arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2F"
        + "global.anthropic.claude-sonnet-4-v1%3A0", segment);

    String canonical = new SigV4Signer(KEYS, "us-east-1", "bedrock")
        .signing("POST", HOST, "/model/" + segment + "/converse", null, JSON, Sha256.hex(BODY), true, NOW)
        .canonicalRequest().text();

    assertEquals("/model/arn%253Aaws%253Abedrock%253Aus-east-1%253A123456789012%253Ainference-profile%252F"
        + "global.anthropic.claude-sonnet-4-v1%253A0/converse", canonical.split("\n")[1]);
  }

  @Test
  void should_keep_only_rfc3986_unreserved_characters_in_a_path_segment() {
    assertEquals("-._~AZaz09", SigV4Signer.encodePathSegment("-._~AZaz09"));
    assertEquals("a%20b%2Bc%2Ad%25e%2Ff%3Fg%23h", SigV4Signer.encodePathSegment("a b+c*d%e/f?g#h"));
    assertEquals("%E1%88%B4", SigV4Signer.encodePathSegment("\u1234"));
  }

  @Test
  void should_canonicalise_query_by_decoding_and_re_encoding_then_sorting() {
    assertEquals("a=0&a=1&b=2&c=", UriEncoding.canonicalQuery("b=2&a=1&&a=0&c"));
    assertEquals("%E1%88%B4=x", UriEncoding.canonicalQuery("%e1%88%b4=x"));
    assertEquals(UriEncoding.canonicalQuery("%E1%88%B4=x"), UriEncoding.canonicalQuery("\u1234=x"));
    assertEquals("k=a%2Bb%20c", UriEncoding.canonicalQuery("k=a+b%20c"), "a plus is a plus, not a space");
    assertEquals("k=%25zz%25", UriEncoding.canonicalQuery("k=%zz%"), "a stray % stays literal");
  }

  @Test
  void should_trim_header_values_and_collapse_any_whitespace_run_to_one_space() {
    assertEquals("a b c", CanonicalRequest.canonicalValue(" \ta  \t b\r\n c  "));
    assertEquals("", CanonicalRequest.canonicalValue("   "));
  }

  @Test
  void should_reproduce_aws_vector_through_the_public_sign_method_which_sends_content_sha256() {
    // post-x-www-form-urlencoded has sign_body: true, so it signs x-amz-content-sha256 as sign() always does
    Path vector = SigV4TestSuiteTest.vectors().stream()
        .filter(dir -> dir.getFileName().toString().equals("post-x-www-form-urlencoded")).findFirst().orElseThrow();
    SigV4TestSuiteTest.VectorRequest request = SigV4TestSuiteTest.request(read(vector.resolve("request.txt")));
    SigV4TestSuiteTest.VectorRequest signedByAws =
        SigV4TestSuiteTest.request(read(vector.resolve("header-signed-request.txt")));

    SignedHeaders headers = new SigV4Signer(KEYS, "us-east-1", "service").sign(request.method(), request.host(),
        request.path(), request.query(), request.headers(), request.body(), Instant.parse("2015-08-30T12:36:00Z"));

    assertEquals(signedByAws.headers().get("authorization"), headers.authorization());
    assertEquals(signedByAws.headers().get("x-amz-content-sha256"), headers.contentSha256());
    assertEquals("20150830T123600Z", headers.amzDate());
  }

  @Test
  void should_add_date_content_hash_token_and_authorization_signing_all_of_them() {
    SignedHeaders headers = new SigV4Signer(TEMPORARY_KEYS, "us-east-1", "bedrock")
        .sign("POST", HOST, INVOKE_PATH, null, JSON, BODY, NOW);

    assertEquals(List.of("x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "authorization"),
        List.copyOf(headers.asMap().keySet()));
    assertEquals("20251001T091530Z", headers.amzDate());
    assertEquals(TOKEN, headers.securityToken());
    assertEquals(64, headers.contentSha256().length());
    assertTrue(headers.authorization().matches("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20251001/us-east-1/bedrock/"
        + "aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, "
        + "Signature=[0-9a-f]{64}"), headers.authorization());
  }

  @Test
  void should_leave_out_the_token_header_with_long_term_keys() {
    SignedHeaders headers = new SigV4Signer(KEYS, "us-east-1", "bedrock")
        .sign("POST", HOST, INVOKE_PATH, null, JSON, BODY, NOW);

    assertNull(headers.securityToken());
    assertFalse(headers.asMap().containsKey("x-amz-security-token"));
    assertTrue(headers.authorization().contains("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,"));
  }

  @Test
  void should_hash_a_buffer_spanning_several_slices_as_the_same_bytes() {
    byte[] large = new byte[200_000];
    for (int i = 0; i < large.length; i++) {
      large[i] = (byte) (i * 31 + 7);
    }
    SigV4Signer signer = new SigV4Signer(KEYS, "us-east-1", "bedrock");

    SignedHeaders fromBytes = signer.sign("POST", HOST, INVOKE_PATH, null, JSON, large, NOW);
    SignedHeaders fromBuffer = signer.sign("POST", HOST, INVOKE_PATH, null, JSON, Buffer.buffer(large), NOW);

    assertEquals(fromBytes, fromBuffer);
    large[150_000] ^= 1;
    assertNotEquals(fromBytes.contentSha256(),
        signer.sign("POST", HOST, INVOKE_PATH, null, JSON, Buffer.buffer(large), NOW).contentSha256());
  }

  @Test
  void should_refuse_headers_the_signer_sets_without_echoing_their_values() {
    SigV4Signer signer = new SigV4Signer(TEMPORARY_KEYS, "us-east-1", "bedrock");
    for (String name : List.of("Host", "X-Amz-Date", "x-amz-content-sha256", "X-Amz-Security-Token",
        "Authorization")) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> signer.sign("POST", HOST, INVOKE_PATH, null, Map.of(name, TOKEN), BODY, NOW), name);
      assertFalse(refused.getMessage().contains(TOKEN), refused.getMessage());
    }
  }

  @Test
  void should_refuse_two_header_names_that_differ_only_in_case() {
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("content-type", "text/plain");

    assertThrows(IllegalArgumentException.class,
        () -> new SigV4Signer(KEYS, "us-east-1", "bedrock").sign("POST", HOST, INVOKE_PATH, null, headers, BODY, NOW));
  }

  @Test
  void should_sign_each_day_with_that_days_key_when_the_date_changes_back_and_forth() {
    Instant nextDay = NOW.plusSeconds(86_400);
    SigV4Signer reused = new SigV4Signer(KEYS, "us-east-1", "bedrock");

    List<String> reusedSignatures = new ArrayList<>();
    for (Instant when : List.of(NOW, nextDay, NOW)) {
      reusedSignatures.add(reused.sign("POST", HOST, INVOKE_PATH, null, JSON, BODY, when).authorization());
    }

    assertEquals(freshSignature(NOW), reusedSignatures.get(0));
    assertEquals(freshSignature(nextDay), reusedSignatures.get(1));
    assertEquals(freshSignature(NOW), reusedSignatures.get(2));
  }

  @Test
  void should_sign_correctly_from_several_threads_across_two_dates() throws Exception {
    Instant nextDay = NOW.plusSeconds(86_400);
    String expectedToday = freshSignature(NOW);
    String expectedTomorrow = freshSignature(nextDay);
    SigV4Signer shared = new SigV4Signer(KEYS, "us-east-1", "bedrock");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int task = 0; task < 8; task++) {
        results.add(pool.submit(() -> {
          for (int i = 0; i < 200; i++) {
            Instant when = i % 2 == 0 ? NOW : nextDay;
            String signed = shared.sign("POST", HOST, INVOKE_PATH, null, JSON, BODY, when).authorization();
            if (!signed.equals(when == NOW ? expectedToday : expectedTomorrow)) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> result : results) {
        assertTrue(result.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void should_verify_a_request_it_signed() {
    assertTrue(verify(TEMPORARY_KEYS, request -> {}));
    assertTrue(verify(KEYS, request -> {}));
  }

  @Test
  void should_still_verify_when_an_unsigned_header_is_added() {
    assertTrue(verify(TEMPORARY_KEYS, request -> request.headers.put("user-agent", "added-after-signing")));
  }

  @Test
  void should_refuse_a_changed_body_path_query_or_signed_header() {
    assertFalse(verify(TEMPORARY_KEYS, request -> request.body = "{}".getBytes(StandardCharsets.UTF_8)));
    assertFalse(verify(TEMPORARY_KEYS, request -> request.path = "/model/" + MODEL_ID + "/invoke"));
    assertFalse(verify(TEMPORARY_KEYS, request -> request.query = "trace=1"));
    assertFalse(verify(TEMPORARY_KEYS, request -> request.headers.put("content-type", "text/plain")));
    assertFalse(verify(TEMPORARY_KEYS, request -> request.method = "PUT"));
    assertFalse(verify(TEMPORARY_KEYS, request -> request.host = "bedrock-runtime.us-west-2.amazonaws.com"));
    assertFalse(verify(TEMPORARY_KEYS, request -> request.headers.put("x-amz-date", "20251001T091531Z")));
  }

  @Test
  void should_refuse_other_secret_region_service_or_token() {
    assertFalse(verify(new AwsCredentials(KEYS.accessKeyId(), "not-the-secret", TOKEN), request -> {}));
    assertFalse(verify(new AwsCredentials("AKIDOTHER", KEYS.secretAccessKey(), TOKEN), request -> {}));
    assertFalse(verify(new AwsCredentials(KEYS.accessKeyId(), KEYS.secretAccessKey(), TOKEN + "x"), request -> {}));
    assertFalse(verify(TEMPORARY_KEYS, request -> request.headers.remove("x-amz-security-token")));
    assertFalse(verify(TEMPORARY_KEYS, request -> request.region = "us-west-2"));
    assertFalse(verify(TEMPORARY_KEYS, request -> request.service = "sagemaker"));
  }

  @Test
  void should_refuse_a_tampered_or_malformed_authorization_without_throwing() {
    assertFalse(verify(TEMPORARY_KEYS, request -> request.headers.computeIfPresent("authorization",
        (name, value) -> value.replace("content-type;", ""))), "a header dropped from SignedHeaders");
    assertFalse(verify(TEMPORARY_KEYS, request -> request.headers.computeIfPresent("authorization",
        (name, value) -> value.substring(0, value.length() - 1) + (value.endsWith("0") ? "1" : "0"))));
    for (String malformed : List.of("", "Bearer abc", "AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA256 Credential=a/b",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20251001/us-east-1/bedrock/aws4_request, SignedHeaders=host",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20251001/us-east-1/bedrock/aws4_request, SignedHeaders=;;, "
            + "Signature=00")) {
      assertFalse(verify(TEMPORARY_KEYS, request -> request.headers.put("authorization", malformed)), malformed);
    }
    assertFalse(verify(TEMPORARY_KEYS, request -> request.headers.remove("authorization")));
    assertFalse(verify(TEMPORARY_KEYS, request -> request.headers.put("x-amz-date", "yesterday")));
  }

  @Test
  void should_keep_token_signature_and_key_id_out_of_signed_headers_text() {
    SignedHeaders headers = new SigV4Signer(TEMPORARY_KEYS, "us-east-1", "bedrock")
        .sign("POST", HOST, INVOKE_PATH, null, JSON, BODY, NOW);
    String signature = headers.authorization().substring(headers.authorization().indexOf("Signature=") + 10);

    String text = headers.toString();

    assertFalse(text.contains(TOKEN), text);
    assertFalse(text.contains(signature), text);
    assertFalse(text.contains(KEYS.accessKeyId()), text);
    assertTrue(text.contains("20251001/us-east-1/bedrock/aws4_request"), text);
  }

  /** A received request, as a fake server would see it, to alter before verifying. */
  private static final class Received {
    String method = "POST";
    String host = HOST;
    String path = INVOKE_PATH;
    String query;
    String region = "us-east-1";
    String service = "bedrock";
    Map<String, String> headers = new LinkedHashMap<>();
    byte[] body = BODY;
  }

  /** Signs a Bedrock invoke with {@link #TEMPORARY_KEYS}, applies {@code change}, verifies with {@code keys}. */
  private static boolean verify(AwsCredentials keys, Consumer<Received> change) {
    Received request = new Received();
    AwsCredentials signingKeys = keys.hasSessionToken() ? TEMPORARY_KEYS : KEYS;
    request.headers.putAll(JSON);
    request.headers.putAll(new SigV4Signer(signingKeys, request.region, request.service)
        .sign(request.method, request.host, request.path, request.query, JSON, request.body, NOW).asMap());
    change.accept(request);
    return SigV4Signer.verify(keys, request.region, request.service, request.method, request.host, request.path,
        request.query, request.headers, request.body);
  }

  private static String freshSignature(Instant when) {
    return new SigV4Signer(KEYS, "us-east-1", "bedrock").sign("POST", HOST, INVOKE_PATH, null, JSON, BODY, when)
        .authorization();
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
