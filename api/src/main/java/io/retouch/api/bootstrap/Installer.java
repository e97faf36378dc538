package io.retouch.api.bootstrap;

import io.retouch.api.auth.ApiKeys;
import io.retouch.db.auth.ApiKeyEntity;
import io.retouch.db.auth.ApiKeyRepository;
import io.retouch.db.auth.DatasetEntity;
import io.retouch.db.auth.DatasetRepository;
import io.retouch.db.auth.OrganizationEntity;
import io.retouch.db.auth.OrganizationRepository;
import io.retouch.db.auth.Role;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates organizations, datasets and keys; used by bootstrap and by tests. */
@Service
public class Installer {

  private final OrganizationRepository organizations;
  private final DatasetRepository datasets;
  private final ApiKeyRepository keys;
  private final Clock clock;

  public Installer(
      OrganizationRepository organizations,
      DatasetRepository datasets,
      ApiKeyRepository keys,
      Clock clock) {
    this.organizations = organizations;
    this.datasets = datasets;
    this.keys = keys;
    this.clock = clock;
  }

  /** A new organization with one dataset and an owner key for it. */
  @Transactional
  public Installation install(String organizationName, String datasetName, String trackingId) {
    UUID organizationId = UUID.randomUUID();
    organizations.save(new OrganizationEntity(organizationId, organizationName, clock.instant()));
    UUID datasetId = createDataset(organizationId, datasetName, trackingId);
    String key = createKey(organizationId, "bootstrap owner key", Role.OWNER, Set.of(), null);
    return new Installation(organizationId, datasetId, key);
  }

  @Transactional
  public UUID createDataset(UUID organizationId, String name, String trackingId) {
    UUID id = UUID.randomUUID();
    datasets.save(new DatasetEntity(id, organizationId, name, trackingId, clock.instant()));
    return id;
  }

  /**
   * @return the key in clear, which is not stored anywhere
   */
  @Transactional
  public String createKey(
      UUID organizationId, String name, Role role, Set<UUID> datasetIds, Instant expiresAt) {
    String key = ApiKeys.generate();
    keys.save(
        new ApiKeyEntity(
            UUID.randomUUID(),
            organizationId,
            name,
            ApiKeys.hash(key),
            ApiKeys.displayPrefix(key),
            role,
            datasetIds,
            expiresAt,
            clock.instant()));
    return key;
  }
}
