package dev.turnpike.provider.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The headers a SigV4 signature adds to a request.
 *
 * @param contentSha256 hex SHA-256 of the body for {@code x-amz-content-sha256}; null when not sent
 * @param securityToken the session token for {@code x-amz-security-token}; null for long-term keys
 */
public record SignedHeaders(String amzDate, String contentSha256, String securityToken, String authorization) {
  private static final Pattern CREDENTIAL_ID = Pattern.compile("Credential=[^/]*");
  private static final Pattern SIGNATURE = Pattern.compile("Signature=[0-9a-fA-F]*");

  public SignedHeaders {
    if (amzDate == null || authorization == null) {
      throw new IllegalArgumentException("x-amz-date and authorization are always part of a signature");
    }
  }

  /** Lower-cased names, in the order a signer conventionally sends them; absent headers left out. */
  public Map<String, String> asMap() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("x-amz-date", amzDate);
    if (contentSha256 != null) {
      out.put("x-amz-content-sha256", contentSha256);
    }
    if (securityToken != null) {
      out.put("x-amz-security-token", securityToken);
    }
    out.put("authorization", authorization);
    return Collections.unmodifiableMap(out);
  }

  /** Keeps the scope and signed header names, which explain a mismatch; hides the key id, token and signature. */
  @Override
  public String toString() {
    String redacted = SIGNATURE.matcher(CREDENTIAL_ID.matcher(authorization).replaceFirst("Credential=***"))
        .replaceFirst("Signature=***");
    return "SignedHeaders[x-amz-date=" + amzDate + ", x-amz-content-sha256=" + contentSha256
        + ", x-amz-security-token=" + (securityToken == null ? "none" : "***") + ", authorization=" + redacted + "]";
  }
}
