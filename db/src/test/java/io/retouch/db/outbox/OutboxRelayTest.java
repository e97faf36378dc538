package io.retouch.db.outbox;

import static io.retouch.db.testing.TestData.aJob;
import static io.retouch.db.testing.TestData.aTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retouch.common.messaging.JobMessage;
import io.retouch.common.messaging.JobMessageCodec;
import io.retouch.common.messaging.JobPublisher;
import io.retouch.common.messaging.Topology;
import io.retouch.db.DbIntegrationTest;
import io.retouch.db.job.JobStore;
import io.retouch.db.testing.TestData;
import io.retouch.testkit.time.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class OutboxRelayTest extends DbIntegrationTest {

  @Autowired JdbcClient jdbc;
  @Autowired JobStore jobs;
  @Autowired JobPublisher publisher;
  @Autowired RabbitTemplate rabbit;
  @Autowired AmqpAdmin admin;
  @Autowired Topology topology;
  @Autowired MutableClock clock;
  @Autowired PlatformTransactionManager transactions;

  private OutboxRelay relay;

  @BeforeEach
  void emptyQueueAndOutbox() {
    admin.purgeQueue(topology.editQueue(), false);
    jdbc.sql("UPDATE job_outbox SET published_at = now() WHERE published_at IS NULL").update();
    relay =
        new OutboxRelay(
            jdbc,
            new TransactionTemplate(transactions),
            publisher,
            clock,
            Duration.ofSeconds(1),
            2,
            List.of());
  }

  @Test
  void due_entries_are_published_once_with_confirms_and_marked() {
    var tenant = aTenant(jdbc);
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    UUID third = UUID.randomUUID();
    for (UUID id : new UUID[] {first, second, third}) {
      requeued(tenant, id, clock.instant());
    }

    assertThat(relay.drain()).isEqualTo(3); // in batches of two
    assertThat(relay.drain()).isZero();

    assertThat(received()).isEqualTo(new JobMessage(first, 1));
    assertThat(received()).isEqualTo(new JobMessage(second, 1));
    assertThat(received()).isEqualTo(new JobMessage(third, 1));
    assertThat(
            jdbc.sql("SELECT count(*) FROM job_outbox WHERE published_at IS NULL")
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void entries_due_later_wait_until_the_clock_reaches_them() {
    var tenant = aTenant(jdbc);
    UUID id = UUID.randomUUID();
    requeued(tenant, id, clock.instant().plusSeconds(30));

    assertThat(relay.drain()).isZero();
    clock.advance(Duration.ofSeconds(30));
    assertThat(relay.drain()).isEqualTo(1);
    assertThat(received()).isEqualTo(new JobMessage(id, 1));
  }

  @Test
  void a_broker_that_does_not_confirm_leaves_the_entries_for_the_next_round() {
    var tenant = aTenant(jdbc);
    UUID id = UUID.randomUUID();
    requeued(tenant, id, clock.instant());
    JobPublisher refusing =
        messages -> {
          throw new JobPublisher.PublishFailedException("broker unreachable", null);
        };
    OutboxRelay failing =
        new OutboxRelay(
            jdbc,
            new TransactionTemplate(transactions),
            refusing,
            clock,
            Duration.ofSeconds(1),
            10,
            List.of());

    try {
      failing.drain();
    } catch (JobPublisher.PublishFailedException expected) {
      // the relay's loop logs this and tries again later
    }

    assertThat(relay.drain()).isEqualTo(1);
    assertThat(received()).isEqualTo(new JobMessage(id, 1));
  }

  /**
   * A job with an outbox entry for its first attempt due at {@code at}, as a retry or a reaped
   * attempt leaves one (new jobs wait in the fair line, which is another round of the relay).
   */
  private void requeued(TestData.Tenant tenant, UUID id, java.time.Instant at) {
    jobs.create(aJob(tenant, id, clock.instant()));
    jdbc.sql(
            """
            INSERT INTO job_outbox (job_id, attempt, available_at, created_at)
            VALUES (:id, 1, :at, now())
            """)
        .param("id", id)
        .param("at", at.atOffset(java.time.ZoneOffset.UTC))
        .update();
  }

  private JobMessage received() {
    Message[] holder = new Message[1];
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> (holder[0] = rabbit.receive(topology.editQueue())) != null);
    return JobMessageCodec.decode(holder[0].getBody());
  }
}
