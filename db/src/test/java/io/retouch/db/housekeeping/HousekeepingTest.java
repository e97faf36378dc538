package io.retouch.db.housekeeping;

import static io.retouch.db.testing.TestData.aJob;
import static io.retouch.db.testing.TestData.aTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.db.DbIntegrationTest;
import io.retouch.db.job.IdempotencyKey;
import io.retouch.db.job.JobStore;
import io.retouch.db.webhook.WebhookEndpoint;
import io.retouch.db.webhook.WebhookEndpointStore;
import io.retouch.testkit.time.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class HousekeepingTest extends DbIntegrationTest {

  @Autowired JdbcClient jdbc;
  @Autowired JobStore jobs;
  @Autowired MutableClock clock;
  @Autowired WebhookEndpointStore endpoints;

  @Test
  void deletes_old_published_outbox_entries_and_expired_keys_but_nothing_still_needed() {
    var tenant = aTenant(jdbc);
    UUID published = UUID.randomUUID();
    UUID pending = UUID.randomUUID();
    jobs.create(
        aJob(tenant, published, clock.instant()), Optional.of(new IdempotencyKey("old", "h")));
    jobs.create(aJob(tenant, pending, clock.instant()));
    for (UUID job : List.of(published, pending)) {
      // as a retry leaves one
      jdbc.sql(
              "INSERT INTO job_outbox (job_id, attempt, available_at, created_at)"
                  + " VALUES (?, 2, now(), now())")
          .param(job)
          .update();
    }
    jdbc.sql("UPDATE job_outbox SET published_at = ? WHERE job_id = ?")
        .param(clock.instant().atOffset(java.time.ZoneOffset.UTC))
        .param(published)
        .update();
    Housekeeping housekeeping =
        new Housekeeping(jdbc, clock, Duration.ofHours(1), Duration.ofDays(30));

    clock.advance(IdempotencyKey.WINDOW.plusSeconds(1));
    housekeeping.run();
    assertThat(jobs.findIdempotencyKey(tenant.datasetId(), "old")).isEmpty();
    assertThat(outboxRows(published)).isEqualTo(1);

    clock.advance(Housekeeping.OUTBOX_RETENTION);
    housekeeping.run();
    assertThat(outboxRows(published)).isZero();
    assertThat(outboxRows(pending)).as("unpublished entries are never pruned").isEqualTo(1);
  }

  @Test
  void deletes_events_and_webhook_deliveries_past_their_retention() {
    var tenant = aTenant(jdbc);
    endpoints.create(
        tenant.datasetId(),
        new WebhookEndpoint.Settings(
            "https://hooks.example.com/h", Optional.empty(), Optional.empty(), true));
    UUID old = UUID.randomUUID();
    jobs.create(aJob(tenant, old, clock.instant()));
    clock.advance(Duration.ofDays(20));
    UUID recent = UUID.randomUUID();
    jobs.create(aJob(tenant, recent, clock.instant()));
    Housekeeping housekeeping =
        new Housekeeping(jdbc, clock, Duration.ofHours(1), Duration.ofDays(30));

    clock.advance(Duration.ofDays(10).plusSeconds(1));
    housekeeping.run();

    assertThat(rows("job_events", old)).isZero();
    assertThat(rows("webhook_deliveries", old)).isZero();
    assertThat(rows("job_events", recent)).isEqualTo(1);
    assertThat(rows("webhook_deliveries", recent)).isEqualTo(1);
    assertThat(jobs.find(tenant.datasetId(), old)).as("the job itself stays").isPresent();
  }

  private long rows(String table, UUID job) {
    return jdbc.sql("SELECT count(*) FROM " + table + " WHERE job_id = ?")
        .param(job)
        .query(Long.class)
        .single();
  }

  private long outboxRows(UUID job) {
    return jdbc.sql("SELECT count(*) FROM job_outbox WHERE job_id = ?")
        .param(job)
        .query(Long.class)
        .single();
  }
}
