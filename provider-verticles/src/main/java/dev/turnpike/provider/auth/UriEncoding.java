package dev.turnpike.provider.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The RFC 3986 percent-encoding SigV4 uses: unreserved characters kept, every other byte as upper-case {@code %XX}. */
final class UriEncoding {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private record QueryParam(String name, String value) {}

  private static final Comparator<QueryParam> BY_NAME_THEN_VALUE =
      Comparator.comparing(QueryParam::name).thenComparing(QueryParam::value);

  private UriEncoding() {}

  static String encode(String text) {
    return encode(text.getBytes(StandardCharsets.UTF_8));
  }

  static String encode(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      int c = b & 0xFF;
      if (isUnreserved(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.toString();
  }

  /**
   * Each segment of the path as sent encoded once more: non-S3 services compute the signature over the path
   * without decoding it first, so {@code %3A} on the wire is {@code %253A} here. Dot and empty segments are kept
   * (no normalisation): the signature covers exactly the path the server receives.
   */
  static String canonicalPath(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    StringBuilder out = new StringBuilder(rawPath.length() + 16);
    if (rawPath.charAt(0) != '/') {
      out.append('/');
    }
    int start = 0;
    while (true) {
      int slash = rawPath.indexOf('/', start);
      out.append(encode(rawPath.substring(start, slash < 0 ? rawPath.length() : slash)));
      if (slash < 0) {
        return out.toString();
      }
      out.append('/');
      start = slash + 1;
    }
  }

  /**
   * The query with each name and value decoded and re-encoded (so {@code %e1}, {@code %E1} and the raw character
   * all sign alike), sorted by encoded name then value; a parameter without {@code =} has an empty value.
   */
  static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<QueryParam> params = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      params.add(new QueryParam(encode(percentDecode(name)), encode(percentDecode(value))));
    }
    params.sort(BY_NAME_THEN_VALUE);
    StringBuilder out = new StringBuilder(rawQuery.length() + 16);
    for (QueryParam param : params) {
      if (!out.isEmpty()) {
        out.append('&');
      }
      out.append(param.name()).append('=').append(param.value());
    }
    return out.toString();
  }

  /**
   * The bytes {@code text} stands for: {@code %XX} decoded, other characters as UTF-8. {@code +} stays a plus
   * (this is URI, not form, decoding) and a {@code %} not followed by two hex digits stays literal.
   */
  static byte[] percentDecode(String text) {
    if (text.indexOf('%') < 0) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    int i = 0;
    while (i < text.length()) {
      int percent = text.indexOf('%', i);
      int literalEnd = percent < 0 ? text.length() : percent;
      out.writeBytes(text.substring(i, literalEnd).getBytes(StandardCharsets.UTF_8));
      if (percent < 0) {
        break;
      }
      int high = percent + 2 < text.length() ? hexValue(text.charAt(percent + 1)) : -1;
      int low = high >= 0 ? hexValue(text.charAt(percent + 2)) : -1;
      if (low >= 0) {
        out.write((high << 4) | low);
        i = percent + 3;
      } else {
        out.write('%');
        i = percent + 1;
      }
    }
    return out.toByteArray();
  }

  /** ASCII hex only: {@code Character.digit} would also accept other scripts' digits. */
  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }
}
