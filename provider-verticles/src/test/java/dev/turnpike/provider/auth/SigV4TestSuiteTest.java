package dev.turnpike.provider.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * AWS's SigV4 test suite as published in aws-c-auth (see {@code src/test/resources/sigv4/README.md} for the source
 * and which vectors were taken): for each, the canonical request, string to sign, signature and Authorization
 * header we compute must equal AWS's, and {@link SigV4Signer#verify} must accept AWS's signed request.
 */
class SigV4TestSuiteTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int VECTORS_COPIED = 28;

  /** A request file of the suite: request line, headers (no {@code Host}), body. */
  record VectorRequest(String method, String host, String path, String query, Map<String, String> headers,
                       byte[] body) {}

  record Context(AwsCredentials credentials, String region, String service, Instant timestamp, boolean signBody,
                 boolean normalize) {}

  @TestFactory
  Stream<DynamicTest> should_match_aws_canonical_request_string_to_sign_and_authorization() {
    List<Path> vectors = vectors();
    assertEquals(VECTORS_COPIED, vectors.size(), "vectors found: " + vectors);
    return vectors.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
      Context context = context(dir);
      VectorRequest request = request(read(dir, "request.txt"));
      if (context.normalize()) {
        // we never normalise; a normalising vector applies only when normalising would not change its path
        assertFalse(request.path().matches(".*(//|/\\.\\.?(/|$)).*"), "path changed by normalisation");
      }
      SigV4Signer signer = new SigV4Signer(context.credentials(), context.region(), context.service());

      SigV4Signer.Signing signing = signer.signing(request.method(), request.host(), request.path(),
          request.query(), request.headers(), Sha256.hex(request.body()), context.signBody(), context.timestamp());

      assertEquals(text(dir, "header-canonical-request.txt"), signing.canonicalRequest().text());
      assertEquals(text(dir, "header-string-to-sign.txt"), signing.stringToSign());
      VectorRequest signedByAws = request(read(dir, "header-signed-request.txt"));
      assertEquals(signedByAws.headers().get("authorization"), signing.headers().authorization());
      assertTrue(signing.headers().authorization().endsWith("Signature=" + text(dir, "header-signature.txt")));
      assertEquals(signedByAws.headers().get("x-amz-date"), signing.headers().amzDate());
      assertEquals(signedByAws.headers().get("x-amz-security-token"), signing.headers().securityToken());
      assertEquals(signedByAws.headers().get("x-amz-content-sha256"), signing.headers().contentSha256());
    }));
  }

  @TestFactory
  Stream<DynamicTest> should_verify_the_request_aws_signed_and_refuse_it_with_another_secret() {
    return vectors().stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
      Context context = context(dir);
      VectorRequest signed = request(read(dir, "header-signed-request.txt"));
      assertTrue(SigV4Signer.verify(context.credentials(), context.region(), context.service(), signed.method(),
          signed.host(), signed.path(), signed.query(), signed.headers(), signed.body()));
      AwsCredentials otherSecret = new AwsCredentials(context.credentials().accessKeyId(), "another-secret",
          context.credentials().sessionToken());
      assertFalse(SigV4Signer.verify(otherSecret, context.region(), context.service(), signed.method(),
          signed.host(), signed.path(), signed.query(), signed.headers(), signed.body()));
    }));
  }

  static List<Path> vectors() {
    try (Stream<Path> dirs = Files.list(Path.of(SigV4TestSuiteTest.class.getResource("/sigv4").toURI()))) {
      return dirs.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Context context(Path dir) throws IOException {
    JsonNode context = JSON.readTree(read(dir, "context.json"));
    JsonNode credentials = context.path("credentials");
    // post-sts-header-after (token left out of the signature) is not copied, so omit_session_token is never set
    assertFalse(context.path("omit_session_token").asBoolean(false), "omit_session_token is not supported");
    return new Context(
        new AwsCredentials(credentials.path("access_key_id").asText(), credentials.path("secret_access_key").asText(),
            credentials.path("token").asText(null)),
        context.path("region").asText(), context.path("service").asText(),
        Instant.parse(context.path("timestamp").asText()), context.path("sign_body").asBoolean(),
        context.path("normalize").asBoolean());
  }

  /**
   * Parses an HTTP/1.1 request as the suite writes it (LF line ends, paths not encoded for the wire). A folded
   * header line (obs-fold) is joined to the previous one with a space, as RFC 9112 §5.2 has a recipient do.
   */
  static VectorRequest request(byte[] file) {
    int headEnd = indexOf(file, "\n\n".getBytes(StandardCharsets.US_ASCII));
    String head = new String(file, 0, headEnd < 0 ? file.length : headEnd, StandardCharsets.UTF_8);
    byte[] body = headEnd < 0 ? new byte[0] : Arrays.copyOfRange(file, headEnd + 2, file.length);
    String[] lines = head.split("\n");
    String requestLine = lines[0];
    String method = requestLine.substring(0, requestLine.indexOf(' '));
    String target = requestLine.substring(method.length() + 1, requestLine.lastIndexOf(" HTTP/"));
    int question = target.indexOf('?');
    Map<String, String> headers = new LinkedHashMap<>();
    String lastName = null;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.startsWith(" ") || line.startsWith("\t")) {
        headers.merge(lastName, " " + line, String::concat);
        continue;
      }
      int colon = line.indexOf(':');
      lastName = line.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
      if (headers.put(lastName, line.substring(colon + 1)) != null) {
        throw new IllegalStateException("repeated header " + lastName + " (those vectors are not copied)");
      }
    }
    String host = headers.remove("host");
    return new VectorRequest(method, host, question < 0 ? target : target.substring(0, question),
        question < 0 ? null : target.substring(question + 1), headers, body);
  }

  private static int indexOf(byte[] data, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= data.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] read(Path dir, String file) {
    try {
      return Files.readAllBytes(dir.resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(Path dir, String file) {
    return new String(read(dir, file), StandardCharsets.UTF_8);
  }
}
