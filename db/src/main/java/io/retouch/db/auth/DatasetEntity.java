package io.retouch.db.auth;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

@Entity
@Table(name = "datasets")
public class DatasetEntity {

  @Id private UUID id;

  @Column(name = "organization_id", nullable = false)
  private UUID organizationId;

  @Column(nullable = false)
  private String name;

  @Column(name = "tracking_id")
  private String trackingId;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "deleted_at")
  private Instant deletedAt;

  protected DatasetEntity() {}

  public DatasetEntity(
      UUID id, UUID organizationId, String name, String trackingId, Instant createdAt) {
    this.id = id;
    this.organizationId = organizationId;
    this.name = name;
    this.trackingId = trackingId;
    this.createdAt = createdAt;
  }

  public UUID id() {
    return id;
  }

  public UUID organizationId() {
    return organizationId;
  }

  public String name() {
    return name;
  }

  public Optional<String> trackingId() {
    return Optional.ofNullable(trackingId);
  }

  public boolean isDeleted() {
    return deletedAt != null;
  }

  /** Soft delete: the row stays for the jobs that point at it. */
  public void delete(Instant at) {
    if (deletedAt == null) {
      deletedAt = at;
    }
  }
}
