package dev.turnpike.provider.auth;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SigV4 canonical request of an HTTP request (non-S3 rules: the path encoded once more, not normalised).
 *
 * @param text the canonical request itself, whose SHA-256 goes into the string to sign
 * @param signedHeaders the lower-cased header names it covers, sorted and joined with {@code ;}
 */
record CanonicalRequest(String text, String signedHeaders) {

  /**
   * @param headers every header to sign, {@code host} included; names are compared case-insensitively and two
   *     names that differ only in case are refused (they would be one header on the wire)
   * @param payloadSha256 hex SHA-256 of the body
   */
  static CanonicalRequest of(String method, String rawPath, String rawQuery, Map<String, String> headers,
                             String payloadSha256) {
    TreeMap<String, String> canonicalHeaders = new TreeMap<>();
    for (Map.Entry<String, String> header : headers.entrySet()) {
      String name = header.getKey().trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        throw new IllegalArgumentException("A header to sign has an empty name");
      }
      if (header.getValue() == null) {
        throw new IllegalArgumentException("Header '" + name + "' to sign has no value");
      }
      if (canonicalHeaders.put(name, canonicalValue(header.getValue())) != null) {
        throw new IllegalArgumentException("Header '" + name + "' is given twice (names differ only in case)");
      }
    }
    StringBuilder text = new StringBuilder(256)
        .append(method).append('\n')
        .append(UriEncoding.canonicalPath(rawPath)).append('\n')
        .append(UriEncoding.canonicalQuery(rawQuery)).append('\n');
    canonicalHeaders.forEach((name, value) -> text.append(name).append(':').append(value).append('\n'));
    String signedHeaders = String.join(";", canonicalHeaders.keySet());
    text.append('\n').append(signedHeaders).append('\n').append(payloadSha256);
    return new CanonicalRequest(text.toString(), signedHeaders);
  }

  /**
   * Trimmed, with each run of whitespace (line folds included) as one space; the SigV4 rule names only spaces,
   * aws-c-auth treats all ASCII whitespace alike and so do we.
   */
  static String canonicalValue(String value) {
    StringBuilder out = new StringBuilder(value.length());
    boolean pendingSpace = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (isWhitespace(c)) {
        pendingSpace = !out.isEmpty();
      } else {
        if (pendingSpace) {
          out.append(' ');
          pendingSpace = false;
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000B' || c == '\f';
  }
}
