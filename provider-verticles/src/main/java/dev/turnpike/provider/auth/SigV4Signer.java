package dev.turnpike.provider.auth;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * AWS Signature Version 4 for the headers of one request, as non-S3 services (Bedrock among them) check it: the
 * canonical URI is the path as sent encoded once more, without normalisation. Thread-safe; keep one per
 * credentials, region and service so the derived signing key is reused across the day.
 */
public final class SigV4Signer {
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final Pattern AMZ_DATE_FORM = Pattern.compile("\\d{8}T\\d{6}Z");
  /** Headers the signature itself sets; a caller passing one would sign a value that is then replaced. */
  private static final Set<String> SET_BY_SIGNER =
      Set.of("host", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "authorization");

  private final AwsCredentials credentials;
  private final String region;
  private final String service;
  private final SigningKeyCache signingKeys;

  /** What signing computed; the canonical request and string to sign are compared with AWS's test vectors. */
  record Signing(CanonicalRequest canonicalRequest, String stringToSign, SignedHeaders headers) {}

  public SigV4Signer(AwsCredentials credentials, String region, String service) {
    if (credentials == null) {
      throw new IllegalArgumentException("AWS credentials are missing");
    }
    if (region == null || region.isBlank() || service == null || service.isBlank()) {
      throw new IllegalArgumentException("AWS region and service are required to sign");
    }
    this.credentials = credentials;
    this.region = region;
    this.service = service;
    this.signingKeys = new SigningKeyCache(credentials.secretAccessKey(), region, service);
  }

  /**
   * Signs a request and returns the headers to add to it ({@code x-amz-date}, {@code x-amz-content-sha256},
   * {@code x-amz-security-token} with temporary credentials, {@code authorization}).
   *
   * @param host the {@code Host} header as sent (with the port when it is not the scheme's default)
   * @param rawPath the path as sent on the wire, already percent-encoded (see {@link #encodePathSegment})
   * @param rawQuery the query as sent, without {@code ?}; null or empty for none
   * @param headers other headers sent and to be signed ({@code content-type} at least); must not contain those
   *     the signer sets, nor two names differing only in case
   * @param body the exact bytes sent; null for none
   * @throws IllegalArgumentException for the header problems above (the message names the header, never a value)
   */
  public SignedHeaders sign(String method, String host, String rawPath, String rawQuery, Map<String, String> headers,
                            byte[] body, Instant now) {
    return signing(method, host, rawPath, rawQuery, headers, Sha256.hex(body == null ? new byte[0] : body), true, now)
        .headers();
  }

  /** As the {@code byte[]} form; the buffer is hashed in slices rather than copied whole. */
  public SignedHeaders sign(String method, String host, String rawPath, String rawQuery, Map<String, String> headers,
                            Buffer body, Instant now) {
    String payloadSha256 = body == null ? Sha256.hex(new byte[0]) : Sha256.hex(body);
    return signing(method, host, rawPath, rawQuery, headers, payloadSha256, true, now).headers();
  }

  /**
   * The signature over exactly the headers given plus {@code host}, {@code x-amz-date} and the session token;
   * {@code x-amz-content-sha256} only when {@code sendContentSha256} (AWS's published vectors mostly sign without).
   */
  Signing signing(String method, String host, String rawPath, String rawQuery, Map<String, String> headers,
                  String payloadSha256, boolean sendContentSha256, Instant now) {
    String amzDate = AMZ_DATE.format(now);
    String contentSha256 = sendContentSha256 ? payloadSha256 : null;
    CanonicalRequest canonical = CanonicalRequest.of(method, rawPath, rawQuery,
        signedHeaderValues(host, headers, amzDate, contentSha256), payloadSha256);
    String stringToSign = stringToSign(canonical, amzDate);
    String authorization = new AuthorizationHeader(credentials.accessKeyId(), amzDate.substring(0, 8), region,
        service, canonical.signedHeaders(), signature(stringToSign, amzDate)).format();
    return new Signing(canonical, stringToSign,
        new SignedHeaders(amzDate, contentSha256, credentials.sessionToken(), authorization));
  }

  /**
   * Whether a received request carries a valid SigV4 signature by {@code credentials} for this region and
   * service: recomputed over the headers its {@code Authorization} lists, with its own {@code x-amz-date}, and
   * compared in constant time. With a session token the request must sign the same token; a sent
   * {@code x-amz-content-sha256} must match the body. The clock is not checked. For fake servers in tests.
   *
   * @param requestHeaders the request's headers, any case; {@code host} is taken from {@code host}
   * @return false for any malformed, missing or mismatched part; never throws on the request's content
   */
  public static boolean verify(AwsCredentials credentials, String region, String service, String method, String host,
                               String rawPath, String rawQuery, Map<String, String> requestHeaders, byte[] body) {
    Map<String, String> received = new HashMap<>();
    requestHeaders.forEach((name, value) -> received.put(name.trim().toLowerCase(Locale.ROOT), value));
    AuthorizationHeader authorization = AuthorizationHeader.parse(received.get("authorization"));
    String amzDate = received.get("x-amz-date");
    if (authorization == null || amzDate == null || !AMZ_DATE_FORM.matcher(amzDate).matches()
        || !authorization.accessKeyId().equals(credentials.accessKeyId())
        || !authorization.date().equals(amzDate.substring(0, 8))
        || !authorization.region().equals(region) || !authorization.service().equals(service)) {
      return false;
    }
    List<String> names = Arrays.asList(authorization.signedHeaders().split(";", -1));
    if (!names.equals(names.stream().sorted().distinct().toList()) || !names.contains("host")
        || !names.contains("x-amz-date")) {
      return false;
    }
    if (credentials.hasSessionToken() && (!names.contains("x-amz-security-token")
        || !constantTimeEquals(credentials.sessionToken(), received.get("x-amz-security-token")))) {
      return false;
    }
    String payloadSha256 = Sha256.hex(body == null ? new byte[0] : body);
    String sentContentSha256 = received.get("x-amz-content-sha256");
    if (sentContentSha256 != null && !sentContentSha256.equals(payloadSha256)) {
      return false;
    }
    Map<String, String> signed = new LinkedHashMap<>();
    for (String name : names) {
      String value = name.equals("host") ? host : received.get(name);
      if (value == null) {
        return false;
      }
      signed.put(name, value);
    }
    try {
      SigV4Signer signer = new SigV4Signer(credentials, region, service);
      CanonicalRequest canonical = CanonicalRequest.of(method, rawPath, rawQuery, signed, payloadSha256);
      String expected = signer.signature(signer.stringToSign(canonical, amzDate), amzDate);
      return constantTimeEquals(expected, authorization.signature());
    } catch (IllegalArgumentException malformedHeaders) {
      return false;
    }
  }

  /**
   * One path segment percent-encoded for a URL (RFC 3986 unreserved characters kept, {@code /} encoded too), as
   * a Bedrock model id or inference-profile ARN goes into {@code /model/{id}/invoke}.
   */
  public static String encodePathSegment(String segment) {
    return UriEncoding.encode(segment);
  }

  private String stringToSign(CanonicalRequest canonical, String amzDate) {
    return AuthorizationHeader.ALGORITHM + "\n" + amzDate + "\n"
        + AuthorizationHeader.scope(amzDate.substring(0, 8), region, service) + "\n" + Sha256.hex(canonical.text());
  }

  private String signature(String stringToSign, String amzDate) {
    return Sha256.toHex(Sha256.hmac(signingKeys.forDate(amzDate.substring(0, 8)), stringToSign));
  }

  private Map<String, String> signedHeaderValues(String host, Map<String, String> headers, String amzDate,
                                                 String contentSha256) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("The host to sign for is missing");
    }
    Map<String, String> signed = new LinkedHashMap<>();
    if (headers != null) {
      for (Map.Entry<String, String> header : headers.entrySet()) {
        String name = header.getKey().trim().toLowerCase(Locale.ROOT);
        if (SET_BY_SIGNER.contains(name)) {
          throw new IllegalArgumentException("Header '" + name + "' is set by the signer; do not pass it");
        }
        signed.put(header.getKey(), header.getValue());
      }
    }
    signed.put("host", host);
    signed.put("x-amz-date", amzDate);
    if (contentSha256 != null) {
      signed.put("x-amz-content-sha256", contentSha256);
    }
    if (credentials.hasSessionToken()) {
      signed.put("x-amz-security-token", credentials.sessionToken());
    }
    return signed;
  }

  private static boolean constantTimeEquals(String expected, String actual) {
    return actual != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        actual.getBytes(StandardCharsets.UTF_8));
  }
}
