package io.retouch.db.fair;

import static io.retouch.db.testing.TestData.aJob;
import static io.retouch.db.testing.TestData.aTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.retouch.common.job.TokenUsage;
import io.retouch.common.messaging.JobMessage;
import io.retouch.common.messaging.JobMessageCodec;
import io.retouch.common.messaging.JobPublisher;
import io.retouch.common.messaging.QueueProbe;
import io.retouch.common.messaging.Topology;
import io.retouch.db.DbIntegrationTest;
import io.retouch.db.job.AttemptStore;
import io.retouch.db.job.DatasetLimitReached;
import io.retouch.db.job.JobStore;
import io.retouch.db.testing.TestData.Tenant;
import io.retouch.testkit.time.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The fair line on real Postgres and RabbitMQ: the order in which jobs of several datasets reach
 * the queue (and so start), the bound on what waits there, caps, limits, positions, and the sweeper
 * that refills a purged queue.
 */
class FairLineTest extends DbIntegrationTest {

  private static final AtomicLong SEQUENCE = new AtomicLong();

  @Autowired JdbcClient jdbc;
  @Autowired JobStore jobs;
  @Autowired AttemptStore attempts;
  @Autowired FairLine line;
  @Autowired QueueStanding standing;
  @Autowired JobPublisher publisher;
  @Autowired QueueProbe probe;
  @Autowired RabbitTemplate rabbit;
  @Autowired AmqpAdmin admin;
  @Autowired Topology topology;
  @Autowired MutableClock clock;
  @Autowired PlatformTransactionManager transactions;

  private TransactionTemplate tx;

  @BeforeEach
  void emptyLineAndQueue() {
    tx = new TransactionTemplate(transactions);
    // other tests' queued jobs would share the line and the queue
    jdbc.sql(
            "UPDATE edit_jobs SET status = 'canceled', finished_at = now() WHERE status = 'queued'")
        .update();
    admin.purgeQueue(topology.editQueue(), false);
  }

  @Test
  void two_datasets_start_interleaved_even_when_one_submitted_everything_first() {
    Tenant flood = aTenant(jdbc);
    Tenant single = aTenant(jdbc);
    List<UUID> floodJobs = submit(flood, 5);
    List<UUID> singleJobs = submit(single, 2);

    assertThat(dispatch(100)).isEqualTo(7);

    assertThat(receivedJobs(7))
        .containsExactly(
            floodJobs.get(0),
            singleJobs.get(0),
            floodJobs.get(1),
            singleJobs.get(1),
            floodJobs.get(2),
            floodJobs.get(3),
            floodJobs.get(4));
  }

  @Test
  void a_dataset_arriving_behind_a_flood_is_handed_over_at_the_next_free_place() {
    Tenant flood = aTenant(jdbc);
    Tenant late = aTenant(jdbc);
    List<UUID> floodJobs = submit(flood, 20);
    assertThat(dispatch(2)).isEqualTo(2);
    assertThat(dispatch(2)).as("the queue already holds its target").isZero();

    UUID lateJob = submit(late, 1).getFirst();
    assertThat(standing.of(lateJob).orElseThrow().position())
        .as("behind the two ready in RabbitMQ only")
        .isEqualTo(2);
    List<UUID> first = receivedJobs(2);
    first.forEach(id -> attempts.claim(id, "w1", Duration.ofMinutes(1), "gpt-image-2"));

    assertThat(dispatch(2)).isEqualTo(2);
    assertThat(receivedJobs(2)).containsExactly(lateJob, floodJobs.get(2));
    assertThat(first).containsExactly(floodJobs.get(0), floodJobs.get(1));
  }

  @Test
  void a_heavier_dataset_gets_more_of_the_line() {
    Tenant heavy = aTenant(jdbc);
    Tenant light = aTenant(jdbc);
    jdbc.sql("UPDATE datasets SET weight = 2 WHERE id = :id")
        .param("id", heavy.datasetId())
        .update();
    List<UUID> heavyJobs = submit(heavy, 4);
    List<UUID> lightJobs = submit(light, 2);

    dispatch(100);

    // tags past the virtual time: heavy 0, 0.5, 1, 1.5; light 0, 1 (ties go to the older job)
    assertThat(receivedJobs(6))
        .containsExactly(
            heavyJobs.get(0),
            lightJobs.get(0),
            heavyJobs.get(1),
            heavyJobs.get(2),
            lightJobs.get(1),
            heavyJobs.get(3));
  }

  @Test
  void a_dataset_at_its_cap_of_running_jobs_waits_while_others_go_ahead() {
    Tenant capped = aTenant(jdbc);
    Tenant other = aTenant(jdbc);
    jdbc.sql("UPDATE datasets SET max_running = 1 WHERE id = :id")
        .param("id", capped.datasetId())
        .update();
    List<UUID> cappedJobs = submit(capped, 3);
    List<UUID> otherJobs = submit(other, 3);

    assertThat(dispatch(100)).isEqualTo(4);
    List<UUID> handed = receivedJobs(4);
    assertThat(handed)
        .containsExactly(cappedJobs.get(0), otherJobs.get(0), otherJobs.get(1), otherJobs.get(2));

    var claim =
        attempts.claim(cappedJobs.get(0), "w1", Duration.ofMinutes(1), "gpt-image-2").orElseThrow();
    assertThat(dispatch(100)).as("still running: the cap is taken").isZero();
    attempts.succeed(claim, List.of(), new TokenUsage(1, 1, 2));
    assertThat(dispatch(100)).isEqualTo(1);
    assertThat(receivedJobs(1)).containsExactly(cappedJobs.get(1));
  }

  @Test
  void a_paused_dataset_keeps_its_jobs_in_the_line_without_holding_up_others() {
    Tenant paused = aTenant(jdbc);
    jdbc.sql("UPDATE datasets SET max_running = 0 WHERE id = :id")
        .param("id", paused.datasetId())
        .update();
    UUID waiting = submit(paused, 30).getFirst();
    Tenant other = aTenant(jdbc);
    List<UUID> otherJobs = submit(other, 2);

    assertThat(dispatch(4))
        .as("thirty paused jobs at the front of the line hide nobody behind them")
        .isEqualTo(2);
    assertThat(receivedJobs(2)).containsExactlyElementsOf(otherJobs);
    assertThat(standing.of(waiting)).isPresent();
  }

  @Test
  void a_dataset_at_its_limit_of_active_jobs_is_refused_and_nothing_is_recorded() {
    Tenant tenant = aTenant(jdbc);
    jdbc.sql("UPDATE datasets SET max_active = 2 WHERE id = :id")
        .param("id", tenant.datasetId())
        .update();
    submit(tenant, 2);
    UUID refused = nextId();

    assertThatThrownBy(() -> jobs.create(aJob(tenant, refused, clock.instant())))
        .isInstanceOf(DatasetLimitReached.class)
        .hasMessageContaining("already has 2 queued or running jobs");
    assertThat(jobs.exists(refused)).isFalse();
  }

  @Test
  void concurrent_submissions_never_overrun_a_datasets_limit() throws Exception {
    Tenant tenant = aTenant(jdbc);
    jdbc.sql("UPDATE datasets SET max_active = 3 WHERE id = :id")
        .param("id", tenant.datasetId())
        .update();
    List<java.util.concurrent.Future<Boolean>> attempts = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 8; i++) {
        attempts.add(
            pool.submit(
                () -> {
                  try {
                    jobs.create(aJob(tenant, nextId(), clock.instant()));
                    return true;
                  } catch (DatasetLimitReached refused) {
                    return false;
                  }
                }));
      }
    }
    long accepted = 0;
    for (var attempt : attempts) {
      accepted += attempt.get() ? 1 : 0;
    }
    assertThat(accepted).isEqualTo(3);
    assertThat(
            jdbc.sql("SELECT count(*) FROM edit_jobs WHERE dataset_id = :id")
                .param("id", tenant.datasetId())
                .query(Long.class)
                .single())
        .isEqualTo(3);
  }

  @Test
  void the_sweeper_publishes_again_what_a_purged_queue_lost_and_nothing_while_it_is_there() {
    Tenant tenant = aTenant(jdbc);
    List<UUID> queued = submit(tenant, 3);
    dispatch(3);
    LostMessageSweeper sweeper =
        new LostMessageSweeper(
            line,
            jdbc,
            tx,
            publisher,
            probe,
            new LostMessageSweeper.Settings(Duration.ZERO, Duration.ofMinutes(2), 100));
    await().atMost(Duration.ofSeconds(10)).until(() -> ready() == 3);

    clock.advance(Duration.ofMinutes(3));
    assertThat(sweeper.run(clock.instant())).as("all three are in the queue").isZero();

    admin.purgeQueue(topology.editQueue(), false);
    assertThat(sweeper.run(clock.instant())).isEqualTo(3);
    assertThat(receivedJobs(3)).containsExactlyInAnyOrderElementsOf(queued);
    assertThat(sweeper.run(clock.instant()))
        .as("gone from the queue again, but published too recently to be called lost")
        .isZero();
  }

  private int dispatch(int target) {
    return tx.execute(
        status -> {
          line.lock();
          return line.dispatch(target, publisher, clock.instant());
        });
  }

  /** {@code count} jobs of one dataset, with ids in submission order. */
  private List<UUID> submit(Tenant tenant, int count) {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      UUID id = nextId();
      jobs.create(aJob(tenant, id, clock.instant()));
      ids.add(id);
    }
    return ids;
  }

  private static UUID nextId() {
    // increasing, so ties between equal tags go to the job submitted first
    return new UUID(System.currentTimeMillis() << 16, SEQUENCE.incrementAndGet());
  }

  private long ready() {
    var info = admin.getQueueInfo(topology.editQueue());
    return info == null ? -1 : info.getMessageCount();
  }

  private List<UUID> receivedJobs(int count) {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Message[] holder = new Message[1];
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> (holder[0] = rabbit.receive(topology.editQueue())) != null);
      JobMessage message = JobMessageCodec.decode(holder[0].getBody());
      ids.add(message.jobId());
    }
    return ids;
  }
}
