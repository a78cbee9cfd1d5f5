package dev.turnpike.provider.auth;

import dev.turnpike.contract.config.ProviderConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The credentials of the cloud dialects, read from a provider's config. Problems name the setting, never a value.
 */
public final class CloudAuths {
  private CloudAuths() {}

  /**
   * Bedrock: a Bedrock API key ({@code keys}) as a bearer token, or SigV4 with {@code aws.access_key_id},
   * {@code aws.secret_access_key} and optionally {@code aws.session_token}, for the provider's {@code region}.
   */
  public static UpstreamAuth bedrock(ProviderConfig provider) {
    if (!provider.keys().isEmpty()) {
      return ApiKeyAuth.bearer(provider);
    }
    ProviderConfig.AwsKeys aws = provider.aws();
    if (aws == null || aws.accessKeyId() == null || aws.secretAccessKey() == null) {
      throw new IllegalArgumentException("providers." + provider.name() + " needs keys (a Bedrock API key) or "
          + "aws.access_key_id and aws.secret_access_key");
    }
    if (provider.region() == null) {
      throw new IllegalArgumentException("providers." + provider.name() + ".region is required for SigV4");
    }
    return new SigV4Auth(new SigV4Signer(new AwsCredentials(aws.accessKeyId(), aws.secretAccessKey(),
        aws.sessionToken()), provider.region(), "bedrock"), Clock.systemUTC());
  }

  /**
   * Vertex: access tokens minted from a service account ({@code google.credentials_file} or
   * {@code google.credentials_json}, token endpoint {@code google.token_url} or the key's own), or a fixed
   * access token in {@code keys}.
   */
  public static UpstreamAuth vertex(Vertx vertx, HttpClient client, ProviderConfig provider) {
    ProviderConfig.GoogleAccount google = provider.google();
    if (google == null || (google.credentialsJson() == null && google.credentialsFile() == null)) {
      if (!provider.keys().isEmpty()) {
        return ApiKeyAuth.bearer(provider);
      }
      throw new IllegalArgumentException("providers." + provider.name() + " needs google.credentials_file or "
          + "google.credentials_json (a service account key), or keys (an access token)");
    }
    String json = google.credentialsJson();
    if (json == null) {
      try {
        json = Files.readString(Path.of(google.credentialsFile())); // once, when the verticle starts
      } catch (IOException e) {
        throw new IllegalArgumentException("providers." + provider.name() + ".google.credentials_file cannot be "
            + "read: " + google.credentialsFile());
      }
    }
    GoogleServiceAccount account;
    try {
      account = GoogleServiceAccount.parse(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("providers." + provider.name() + ".google: " + e.getMessage());
    }
    return new OAuthBearerAuth(new GoogleTokenSource(vertx, client, account, google.tokenUrl(), null,
        Clock.systemUTC()));
  }
}
