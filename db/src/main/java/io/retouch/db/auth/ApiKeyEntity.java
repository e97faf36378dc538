package io.retouch.db.auth;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An API key as stored: its hash, never the key. Written by the installer; requests read keys
 * through {@link ApiKeyLookup}, which also decides whether one is active and reaches a dataset.
 */
@Entity
@Table(name = "api_keys")
public class ApiKeyEntity {

  @Id private UUID id;

  @Column(name = "organization_id", nullable = false)
  private UUID organizationId;

  @Column(nullable = false)
  private String name;

  @Column(name = "key_hash", nullable = false, unique = true)
  private byte[] keyHash;

  @Column(name = "key_prefix", nullable = false)
  private String keyPrefix;

  @Column(nullable = false)
  private Role role;

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "api_key_datasets", joinColumns = @JoinColumn(name = "api_key_id"))
  @Column(name = "dataset_id")
  private Set<UUID> datasetIds = new HashSet<>();

  @Column(name = "expires_at")
  private Instant expiresAt;

  @Column(name = "revoked_at")
  private Instant revokedAt;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  protected ApiKeyEntity() {}

  public ApiKeyEntity(
      UUID id,
      UUID organizationId,
      String name,
      byte[] keyHash,
      String keyPrefix,
      Role role,
      Set<UUID> datasetIds,
      Instant expiresAt,
      Instant createdAt) {
    this.id = id;
    this.organizationId = organizationId;
    this.name = name;
    this.keyHash = keyHash.clone();
    this.keyPrefix = keyPrefix;
    this.role = role;
    this.datasetIds = new HashSet<>(datasetIds);
    this.expiresAt = expiresAt;
    this.createdAt = createdAt;
  }

  public UUID id() {
    return id;
  }

  public UUID organizationId() {
    return organizationId;
  }

  public Role role() {
    return role;
  }

  public String keyPrefix() {
    return keyPrefix;
  }

  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  public void revoke(Instant at) {
    if (revokedAt == null) {
      revokedAt = at;
    }
  }
}
