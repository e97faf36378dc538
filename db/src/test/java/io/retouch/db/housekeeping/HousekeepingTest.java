package io.retouch.db.housekeeping;

import static io.retouch.db.TestData.aJob;
import static io.retouch.db.TestData.aTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.db.DbIntegrationTest;
import io.retouch.db.job.IdempotencyKey;
import io.retouch.db.job.JobStore;
import io.retouch.testkit.time.MutableClock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class HousekeepingTest extends DbIntegrationTest {

  @Autowired JdbcClient jdbc;
  @Autowired JobStore jobs;
  @Autowired MutableClock clock;

  @Test
  void deletes_old_published_outbox_entries_and_expired_keys_but_nothing_still_needed() {
    var tenant = aTenant(jdbc);
    UUID published = UUID.randomUUID();
    UUID pending = UUID.randomUUID();
    jobs.create(
        aJob(tenant, published, clock.instant()), Optional.of(new IdempotencyKey("old", "h")));
    jobs.create(aJob(tenant, pending, clock.instant()));
    jdbc.sql("UPDATE job_outbox SET published_at = ? WHERE job_id = ?")
        .param(clock.instant().atOffset(java.time.ZoneOffset.UTC))
        .param(published)
        .update();
    Housekeeping housekeeping = new Housekeeping(jdbc, clock, Duration.ofHours(1));

    clock.advance(IdempotencyKey.WINDOW.plusSeconds(1));
    housekeeping.run();
    assertThat(jobs.findIdempotencyKey(tenant.datasetId(), "old")).isEmpty();
    assertThat(outboxRows(published)).isEqualTo(1);

    clock.advance(Housekeeping.OUTBOX_RETENTION);
    housekeeping.run();
    assertThat(outboxRows(published)).isZero();
    assertThat(outboxRows(pending)).as("unpublished entries are never pruned").isEqualTo(1);
  }

  private long outboxRows(UUID job) {
    return jdbc.sql("SELECT count(*) FROM job_outbox WHERE job_id = ?")
        .param(job)
        .query(Long.class)
        .single();
  }
}
