package dev.turnpike.provider.auth;

import java.util.HashMap;
import java.util.Map;

/**
 * The parts of a SigV4 {@code Authorization} header:
 * {@code AWS4-HMAC-SHA256 Credential=<id>/<date>/<region>/<service>/aws4_request, SignedHeaders=<a;b>,
 * Signature=<hex>}.
 */
record AuthorizationHeader(String accessKeyId, String date, String region, String service, String signedHeaders,
                           String signature) {
  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  static final String TERMINATOR = "aws4_request";
  /** Far above any real header (about 200 bytes plus the signed header names); parsing stays bounded. */
  private static final int MAX_LENGTH = 8 * 1024;

  static String scope(String date, String region, String service) {
    return date + "/" + region + "/" + service + "/" + TERMINATOR;
  }

  String format() {
    return ALGORITHM + " Credential=" + accessKeyId + "/" + scope(date, region, service) + ", SignedHeaders="
        + signedHeaders + ", Signature=" + signature;
  }

  /** The parts of {@code value}, or null when it is not a well-formed SigV4 header. */
  static AuthorizationHeader parse(String value) {
    if (value == null || value.length() > MAX_LENGTH || !value.startsWith(ALGORITHM + " ")) {
      return null;
    }
    Map<String, String> parts = new HashMap<>();
    for (String part : value.substring(ALGORITHM.length() + 1).split(",")) {
      int equals = part.indexOf('=');
      if (equals < 0 || parts.put(part.substring(0, equals).trim(), part.substring(equals + 1).trim()) != null) {
        return null;
      }
    }
    String credential = parts.get("Credential");
    String signedHeaders = parts.get("SignedHeaders");
    String signature = parts.get("Signature");
    if (parts.size() != 3 || credential == null || signedHeaders == null || signature == null) {
      return null;
    }
    String[] scope = credential.split("/", -1);
    if (scope.length != 5 || !TERMINATOR.equals(scope[4])) {
      return null;
    }
    return new AuthorizationHeader(scope[0], scope[1], scope[2], scope[3], signedHeaders, signature);
  }

  /** Hides the signature, as every secret is kept out of logs. */
  @Override
  public String toString() {
    return "AuthorizationHeader[scope=" + scope(date, region, service) + ", signedHeaders=" + signedHeaders + "]";
  }
}
