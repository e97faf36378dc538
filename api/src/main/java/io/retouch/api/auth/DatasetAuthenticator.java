package io.retouch.api.auth;

import io.retouch.api.http.ApiException;
import io.retouch.db.auth.ApiKeyEntity;
import io.retouch.db.auth.ApiKeyRepository;
import io.retouch.db.auth.DatasetEntity;
import io.retouch.db.auth.DatasetRepository;
import io.retouch.db.auth.Role;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Trieve's authentication: the key from {@code Authorization} (raw or {@code Bearer}) or {@code
 * x-api-key}; {@code TR-Dataset} as a dataset id when it is a UUID (hyphenated or the 32-digit
 * simple form, as Trieve reads it), else a tracking id that needs {@code TR-Organization}.
 */
@Component
public class DatasetAuthenticator {

  private final ApiKeyRepository keys;
  private final DatasetRepository datasets;
  private final Clock clock;

  public DatasetAuthenticator(ApiKeyRepository keys, DatasetRepository datasets, Clock clock) {
    this.keys = keys;
    this.datasets = datasets;
    this.clock = clock;
  }

  /** The headers a request carries that matter here. */
  public record Credentials(
      String authorization, String apiKeyHeader, String dataset, String organization) {}

  @Transactional(readOnly = true)
  public AuthScope authenticate(Credentials credentials, Role required) {
    ApiKeyEntity key = key(credentials);
    DatasetEntity dataset = dataset(credentials, key);
    if (!key.allowsDataset(dataset.id())) {
      throw ApiException.unauthorized("this API key may not be used with dataset " + dataset.id());
    }
    if (!key.role().atLeast(required)) {
      throw ApiException.forbidden(
          "this endpoint needs a key with the %s role or higher; this key has %s"
              .formatted(required.wireName(), key.role().wireName()));
    }
    return new AuthScope(key.organizationId(), dataset.id(), key.id(), key.role());
  }

  private ApiKeyEntity key(Credentials credentials) {
    String raw = rawKey(credentials);
    if (raw == null) {
      throw ApiException.unauthorized(
          "missing API key: send it as Authorization (raw or Bearer) or x-api-key");
    }
    ApiKeyEntity key =
        keys.findByKeyHash(ApiKeys.hash(raw))
            .orElseThrow(() -> ApiException.unauthorized("invalid API key"));
    if (!key.isActive(clock.instant())) {
      throw ApiException.unauthorized("this API key has expired or was revoked");
    }
    return key;
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

  private DatasetEntity dataset(Credentials credentials, ApiKeyEntity key) {
    String value = blankToNull(credentials.dataset());
    if (value == null) {
      throw ApiException.badRequest("the TR-Dataset header is required");
    }
    Optional<UUID> id = StrictUuid.parse(value);
    Optional<DatasetEntity> found;
    if (id.isPresent()) {
      // Datasets of other organizations are reported as unknown: their existence is not ours to
      // reveal.
      found =
          datasets.findLive(id.get()).filter(d -> d.organizationId().equals(key.organizationId()));
    } else {
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
      found = datasets.findLiveByTrackingId(organizationId, value);
    }
    return found.orElseThrow(() -> ApiException.notFound("dataset " + value + " not found"));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
