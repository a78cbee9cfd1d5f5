package dev.turnpike.provider.auth;

/**
 * An AWS access key pair, with the session token of temporary (STS) credentials.
 *
 * @param sessionToken null for long-term keys; a blank token is taken as none
 */
public record AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
  /** Real access key ids are 16 to 128 characters; below this, four characters would reveal too much of one. */
  private static final int SHORTEST_ID_SHOWN = 16;

  public AwsCredentials {
    if (accessKeyId == null || accessKeyId.isBlank()) {
      throw new IllegalArgumentException("AWS access key id is missing");
    }
    if (secretAccessKey == null || secretAccessKey.isBlank()) {
      throw new IllegalArgumentException("AWS secret access key is missing");
    }
    if (sessionToken != null && sessionToken.isBlank()) {
      sessionToken = null;
    }
  }

  public AwsCredentials(String accessKeyId, String secretAccessKey) {
    this(accessKeyId, secretAccessKey, null);
  }

  public boolean hasSessionToken() {
    return sessionToken != null;
  }

  /** Enough to tell two keys apart in a log; never the secret or the token. */
  @Override
  public String toString() {
    String id = accessKeyId.length() >= SHORTEST_ID_SHOWN
        ? "***" + accessKeyId.substring(accessKeyId.length() - 4) : "***";
    return "AwsCredentials[accessKeyId=" + id + ", secretAccessKey=***, sessionToken="
        + (sessionToken == null ? "none" : "***") + "]";
  }
}
