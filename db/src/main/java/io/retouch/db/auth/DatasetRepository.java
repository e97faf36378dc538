package io.retouch.db.auth;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface DatasetRepository extends JpaRepository<DatasetEntity, UUID> {

  @Query("select d from DatasetEntity d where d.id = ?1 and d.deletedAt is null")
  Optional<DatasetEntity> findLive(UUID id);
}
