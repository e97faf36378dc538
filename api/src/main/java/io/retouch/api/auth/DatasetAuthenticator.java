package io.retouch.api.auth;

import io.retouch.api.http.ApiException;
import io.retouch.db.auth.ApiKeyLookup;
import io.retouch.db.auth.ApiKeyLookup.DatasetName;
import io.retouch.db.auth.ApiKeyLookup.KeyMatch;
import io.retouch.db.auth.Role;
import java.time.Clock;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Trieve's authentication: the key from {@code Authorization} (raw or {@code Bearer}) or {@code
 * x-api-key}; {@code TR-Dataset} as a dataset id when it is a UUID (hyphenated or the 32-digit
 * simple form, as Trieve reads it), else a tracking id that needs {@code TR-Organization}. The key
 * and the dataset are read in one query; the checks then answer in the order Trieve's do: the key,
 * the headers, the dataset, the key's reach, its role.
 */
@Component
public class DatasetAuthenticator {

  private final ApiKeyLookup keys;
  private final Clock clock;

  public DatasetAuthenticator(ApiKeyLookup keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  /** The headers a request carries that matter here. */
  public record Credentials(
      String authorization, String apiKeyHeader, String dataset, String organization) {}

  public AuthScope authenticate(Credentials credentials, Role required) {
    String raw = rawKey(credentials);
    if (raw == null) {
      throw ApiException.unauthorized(
          "missing API key: send it as Authorization (raw or Bearer) or x-api-key");
    }
    String named = blankToNull(credentials.dataset());
    DatasetName name = datasetName(named);
    KeyMatch key =
        keys.find(ApiKeys.hash(raw), name)
            .orElseThrow(() -> ApiException.unauthorized("invalid API key"));
    if (!key.isActive(clock.instant())) {
      throw ApiException.unauthorized("this API key has expired or was revoked");
    }
    if (name instanceof DatasetName.None) {
      throw ApiException.badRequest("the TR-Dataset header is required");
    }
    if (name instanceof DatasetName.ByTrackingId) {
      checkOrganization(credentials, key);
    }
    UUID dataset =
        key.dataset().orElseThrow(() -> ApiException.notFound("dataset " + named + " not found"));
    if (!key.datasetAllowed()) {
      throw ApiException.unauthorized("this API key may not be used with dataset " + dataset);
    }
    if (!key.role().atLeast(required)) {
      throw ApiException.forbidden(
          "this endpoint needs a key with the %s role or higher; this key has %s"
              .formatted(required.wireName(), key.role().wireName()));
    }
    return new AuthScope(key.organizationId(), dataset, key.keyId(), key.role());
  }

  private static String rawKey(Credentials credentials) {
    String authorization = blankToNull(credentials.authorization());
    if (authorization != null) {
      return authorization.regionMatches(true, 0, "Bearer ", 0, 7)
          ? blankToNull(authorization.substring(7))
          : authorization;
    }
    return blankToNull(credentials.apiKeyHeader());
  }

  private static DatasetName datasetName(String named) {
    if (named == null) {
      return new DatasetName.None();
    }
    return StrictUuid.parse(named)
        .<DatasetName>map(DatasetName.ById::new)
        .orElseGet(() -> new DatasetName.ByTrackingId(named));
  }

  /** A tracking id is only unique within an organization, which the caller must name. */
  private static void checkOrganization(Credentials credentials, KeyMatch key) {
    String organization = blankToNull(credentials.organization());
    if (organization == null) {
      throw ApiException.badRequest(
          "Using Dataset Tracking IDs requires providing the TR-Organization header");
    }
    UUID organizationId =
        StrictUuid.parse(organization)
            .orElseThrow(
                () -> ApiException.badRequest("the TR-Organization header must be a UUID"));
    if (!organizationId.equals(key.organizationId())) {
      throw ApiException.unauthorized(
          "this API key does not belong to organization " + organization);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
