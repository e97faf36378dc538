package io.retouch.db.webhook;

import static io.retouch.db.testing.TestData.aJob;
import static io.retouch.db.testing.TestData.aTenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.common.event.EventType;
import io.retouch.common.job.TokenUsage;
import io.retouch.common.webhook.JobWebhook;
import io.retouch.common.webhook.RetrySchedule;
import io.retouch.db.DbIntegrationTest;
import io.retouch.db.job.AttemptStore;
import io.retouch.db.job.Claim;
import io.retouch.db.job.JobStore;
import io.retouch.db.job.NewOutput;
import io.retouch.db.testing.TestData.Tenant;
import io.retouch.testkit.time.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Deliveries are written with their event, claimed under leases and retried on the schedule. */
class DeliveryStoreTest extends DbIntegrationTest {

  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final RetrySchedule SHORT =
      new RetrySchedule(List.of(Duration.ZERO, Duration.ofSeconds(10), Duration.ofMinutes(1)));

  @Autowired JobStore jobs;
  @Autowired AttemptStore attempts;
  @Autowired WebhookEndpointStore endpoints;
  @Autowired JdbcClient jdbc;
  @Autowired MutableClock clock;
  @Autowired PlatformTransactionManager transactions;

  private DeliveryStore deliveries;
  private Tenant tenant;

  @BeforeEach
  void setUp() {
    // deliveries other tests left pending would be claimed here too
    jdbc.sql("UPDATE webhook_deliveries SET status = 'skipped' WHERE status = 'pending'").update();
    deliveries = new DeliveryStore(jdbc, clock, SHORT, Duration.ofDays(5));
    tenant = aTenant(jdbc);
  }

  private WebhookEndpoint endpoint(Tenant owner, Set<EventType> events, boolean enabled) {
    return endpoints
        .create(
            owner.datasetId(),
            new WebhookEndpoint.Settings(
                "https://hooks.example.com/" + UUID.randomUUID(),
                events.isEmpty() ? Optional.empty() : Optional.of(events),
                Optional.empty(),
                enabled))
        .endpoint();
  }

  private UUID job(Optional<JobWebhook> webhook) {
    var builder = aJob().of(tenant).createdAt(clock.instant());
    webhook.ifPresent(builder::withWebhook);
    return jobs.create(builder.build()).id();
  }

  private UUID succeeded(UUID job) {
    Claim claim = attempts.claim(job, "w", LEASE, "m").orElseThrow();
    attempts.succeed(
        claim, List.of(new NewOutput(0, "k", "image/png", 1, "s")), TokenUsage.unknown());
    return job;
  }

  /** (event type, target) of a job's deliveries, in event order. */
  private List<String> deliveriesOf(UUID job) {
    return jdbc.sql(
            "SELECT v.type, coalesce(d.endpoint_id::text, d.url) AS target"
                + " FROM webhook_deliveries d JOIN job_events v ON v.id = d.event_id"
                + " WHERE d.job_id = ? ORDER BY d.event_id, target")
        .param(job)
        .query((rs, i) -> rs.getString("type") + " -> " + rs.getString("target"))
        .list();
  }

  @Test
  void an_event_is_delivered_to_each_endpoint_that_wants_it_and_to_the_jobs_own_webhook() {
    WebhookEndpoint every = endpoint(tenant, Set.of(), true);
    WebhookEndpoint successes = endpoint(tenant, Set.of(EventType.SUCCEEDED), true);
    endpoint(tenant, Set.of(), false);
    endpoint(aTenant(jdbc), Set.of(), true);
    String own = "https://hooks.example.com/own";
    UUID id = succeeded(job(Optional.of(new JobWebhook(URI.create(own), EventType.TERMINAL))));

    assertThat(deliveriesOf(id))
        .as("a turned-off endpoint and another dataset's get nothing")
        .containsExactlyInAnyOrder(
            "edit_image.queued -> " + every.id(),
            "edit_image.processing -> " + every.id(),
            "edit_image.succeeded -> " + own,
            "edit_image.succeeded -> " + every.id(),
            "edit_image.succeeded -> " + successes.id());
  }

  @Test
  void a_rolled_back_transition_leaves_neither_event_nor_delivery() {
    endpoint(tenant, Set.of(), true);
    UUID id = UUID.randomUUID();
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              jobs.create(aJob(tenant, id, clock.instant()));
              status.setRollbackOnly();
            });
    UUID kept = job(Optional.empty());
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              attempts.claim(kept, "w", LEASE, "m").orElseThrow();
              status.setRollbackOnly();
            });

    assertThat(count("SELECT count(*) FROM job_events WHERE job_id = ?", id)).isZero();
    assertThat(deliveriesOf(id)).isEmpty();
    assertThat(deliveriesOf(kept)).hasSize(1).allMatch(d -> d.startsWith("edit_image.queued"));
  }

  @Test
  void concurrent_claims_never_share_a_delivery_and_a_lease_holds_until_it_lapses()
      throws Exception {
    endpoint(tenant, Set.of(EventType.QUEUED), true);
    Set<UUID> created = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      created.add(job(Optional.empty()));
    }
    CyclicBarrier start = new CyclicBarrier(2);
    var a = CompletableFuture.supplyAsync(() -> claimAfter(start, "a"));
    var b = CompletableFuture.supplyAsync(() -> claimAfter(start, "b"));
    List<DueDelivery> first = a.get();
    List<DueDelivery> second = b.get();

    Set<Long> ids = new HashSet<>();
    first.forEach(d -> ids.add(d.id()));
    second.forEach(d -> assertThat(ids.add(d.id())).as("claimed twice: " + d.id()).isTrue());
    Set<UUID> claimedJobs = new HashSet<>();
    first.forEach(d -> claimedJobs.add(d.jobId()));
    second.forEach(d -> claimedJobs.add(d.jobId()));
    assertThat(claimedJobs).isEqualTo(created);
    assertThat(deliveries.claim("c", 100, LEASE)).as("every one is leased").isEmpty();

    clock.advance(LEASE.plusSeconds(1));
    assertThat(deliveries.claim("c", 100, LEASE)).as("lapsed leases").hasSize(40);
  }

  private List<DueDelivery> claimAfter(CyclicBarrier start, String owner) {
    try {
      start.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    List<DueDelivery> claimed = new ArrayList<>();
    List<DueDelivery> batch;
    do {
      batch = deliveries.claim(owner, 3, LEASE);
      claimed.addAll(batch);
    } while (!batch.isEmpty());
    return claimed;
  }

  @Test
  void a_failing_delivery_follows_the_schedule_and_honours_retry_after_then_is_exhausted() {
    WebhookEndpoint target = endpoint(tenant, Set.of(EventType.QUEUED), true);
    UUID id = job(Optional.empty());
    Instant t0 = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);

    DueDelivery first = only(deliveries.claim("w", 10, LEASE));
    assertThat(first.endpointId()).contains(target.id());
    assertThat(first.url()).isEqualTo(target.url());
    assertThat(deliveries.finish(first, failed(503, Optional.empty()))).isTrue();
    assertThat(deliveries.claim("w", 10, LEASE)).as("not due for 10 s").isEmpty();

    clock.advance(Duration.ofSeconds(10));
    DueDelivery second = only(deliveries.claim("w", 10, LEASE));
    deliveries.finish(second, failed(429, Optional.of(Duration.ofMinutes(5))));
    clock.advance(Duration.ofMinutes(1));
    assertThat(deliveries.claim("w", 10, LEASE)).as("Retry-After beats the schedule").isEmpty();

    clock.advance(Duration.ofMinutes(4));
    DueDelivery third = only(deliveries.claim("w", 10, LEASE));
    deliveries.finish(
        third,
        new AttemptResult.Failed(
            Optional.empty(), "connection refused", Duration.ZERO, null, Optional.empty()));

    Delivery logged = deliveries.find(tenant.datasetId(), first.id()).orElseThrow();
    assertThat(logged.status()).isEqualTo(DeliveryStatus.EXHAUSTED);
    assertThat(logged.lastError()).contains("connection refused (after 3 attempts)");
    assertThat(logged.attemptLog())
        .extracting(Delivery.Attempt::httpStatus)
        .containsExactly(Optional.of(503), Optional.of(429), Optional.empty());
    assertThat(logged.attemptLog().getFirst().responseExcerpt()).contains("busy");
    assertThat(logged.attemptLog().getFirst().attemptedAt()).isEqualTo(t0);
    assertThat(endpoints.find(tenant.datasetId(), target.id()).orElseThrow().failingSince())
        .contains(t0);
    assertThat(id).isNotNull();
  }

  private static AttemptResult.Failed failed(int status, Optional<Duration> retryAfter) {
    return new AttemptResult.Failed(
        Optional.of(status), "answered " + status, Duration.ofMillis(12), "busy", retryAfter);
  }

  @Test
  void a_jobs_events_reach_one_target_in_order_but_replays_and_redeliveries_do_not_wait() {
    endpoint(tenant, Set.of(), true);
    UUID id = succeeded(job(Optional.empty()));

    List<EventType> sent = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      DueDelivery due = only(deliveries.claim("w", 10, LEASE));
      sent.add(deliveries.find(tenant.datasetId(), due.id()).orElseThrow().eventType());
      deliveries.finish(due, new AttemptResult.Delivered(204, Duration.ofMillis(3), ""));
    }
    assertThat(sent).containsExactly(EventType.QUEUED, EventType.PROCESSING, EventType.SUCCEEDED);

    UUID next = job(Optional.empty());
    DueDelivery queued = only(deliveries.claim("w", 10, LEASE));
    deliveries.finish(queued, failed(500, Optional.empty()));
    Delivery redelivered = deliveries.redeliver(tenant.datasetId(), queued.id()).orElseThrow();
    assertThat(redelivered.origin()).isEqualTo("redeliver");
    assertThat(redelivered.eventId()).isEqualTo(queued.eventId());
    assertThat(only(deliveries.claim("w", 10, LEASE)).id()).isEqualTo(redelivered.id());
    assertThat(next).isNotNull();
  }

  @Test
  void gone_turns_the_endpoint_off_and_skips_what_it_still_had_to_send() {
    WebhookEndpoint target = endpoint(tenant, Set.of(EventType.QUEUED), true);
    job(Optional.empty());
    UUID later = job(Optional.empty());
    List<DueDelivery> due = deliveries.claim("w", 1, LEASE);

    deliveries.finish(only(due), new AttemptResult.Gone(Duration.ofMillis(5), "bye"));

    WebhookEndpoint off = endpoints.find(tenant.datasetId(), target.id()).orElseThrow();
    assertThat(off.enabled()).isFalse();
    assertThat(off.disabledReason().orElseThrow()).contains("410 Gone");
    assertThat(deliveries.claim("w", 10, LEASE)).isEmpty();
    assertThat(
            deliveries
                .page(tenant.datasetId(), target.id(), Optional.empty(), Optional.empty(), 10)
                .deliveries())
        .extracting(Delivery::status)
        .containsExactly(DeliveryStatus.SKIPPED, DeliveryStatus.GONE);
    job(Optional.empty());
    assertThat(deliveriesOf(later)).hasSize(1);
    assertThat(deliveries.claim("w", 10, LEASE)).as("no delivery for a turned-off one").isEmpty();
  }

  @Test
  void an_endpoint_that_fails_everything_for_five_days_is_turned_off_and_a_success_resets_it() {
    WebhookEndpoint target = endpoint(tenant, Set.of(EventType.QUEUED), true);
    job(Optional.empty());
    deliveries.finish(only(deliveries.claim("w", 10, LEASE)), failed(500, Optional.empty()));
    clock.advance(Duration.ofSeconds(10));
    deliveries.finish(
        only(deliveries.claim("w", 10, LEASE)),
        new AttemptResult.Delivered(200, Duration.ZERO, ""));
    assertThat(endpoints.find(tenant.datasetId(), target.id()).orElseThrow().failingSince())
        .isEmpty();

    job(Optional.empty());
    deliveries.finish(only(deliveries.claim("w", 10, LEASE)), failed(500, Optional.empty()));
    clock.advance(Duration.ofDays(5));
    job(Optional.empty());
    for (DueDelivery due : deliveries.claim("w", 10, LEASE)) {
      deliveries.finish(due, failed(500, Optional.empty()));
    }

    WebhookEndpoint off = endpoints.find(tenant.datasetId(), target.id()).orElseThrow();
    assertThat(off.enabled()).isFalse();
    assertThat(off.disabledReason().orElseThrow()).contains("every delivery failed since");
  }

  @Test
  void a_refused_address_is_final_and_recorded_on_the_delivery_and_the_endpoint() {
    WebhookEndpoint target = endpoint(tenant, Set.of(EventType.QUEUED), true);
    job(Optional.empty());
    DueDelivery due = only(deliveries.claim("w", 10, LEASE));

    deliveries.finish(
        due, new AttemptResult.Refused("localhost resolves to 127.0.0.1, a Loopback"));

    Delivery logged = deliveries.find(tenant.datasetId(), due.id()).orElseThrow();
    assertThat(logged.status()).isEqualTo(DeliveryStatus.REFUSED);
    assertThat(logged.attemptLog().getFirst().error())
        .contains("localhost resolves to 127.0.0.1, a Loopback");
    assertThat(endpoints.find(tenant.datasetId(), target.id()).orElseThrow().lastError())
        .contains("localhost resolves to 127.0.0.1, a Loopback");
  }

  @Test
  void a_lapsed_claim_cannot_finish_over_the_dispatcher_that_took_it_over() {
    endpoint(tenant, Set.of(EventType.QUEUED), true);
    job(Optional.empty());
    DueDelivery stale = only(deliveries.claim("slow", 10, LEASE));
    clock.advance(LEASE.plusSeconds(1));
    DueDelivery current = only(deliveries.claim("fast", 10, LEASE));

    assertThat(deliveries.finish(stale, new AttemptResult.Delivered(200, Duration.ZERO, "")))
        .isFalse();
    assertThat(deliveries.finish(current, failed(500, Optional.empty()))).isTrue();
    assertThat(deliveries.find(tenant.datasetId(), current.id()).orElseThrow().attemptLog())
        .hasSize(1);
  }

  @Test
  void a_replay_sends_the_windows_events_the_endpoint_receives_and_the_log_pages_newest_first() {
    WebhookEndpoint target = endpoint(tenant, Set.of(EventType.QUEUED, EventType.SUCCEEDED), true);
    Instant since = clock.instant();
    for (int i = 0; i < 3; i++) {
      succeeded(job(Optional.empty()));
      clock.advance(Duration.ofSeconds(1));
    }
    Instant until = clock.instant();
    succeeded(job(Optional.empty()));

    int replayed = deliveries.replay(tenant.datasetId(), target, since, until);

    assertThat(replayed).as("queued and succeeded of the three jobs in the window").isEqualTo(6);
    List<Delivery> all = new ArrayList<>();
    Optional<Long> cursor = Optional.empty();
    do {
      DeliveryStore.Page page =
          deliveries.page(tenant.datasetId(), target.id(), Optional.empty(), cursor, 5);
      all.addAll(page.deliveries());
      cursor = page.nextBefore();
    } while (cursor.isPresent());
    assertThat(all).hasSize(8 + 6);
    assertThat(all).extracting(Delivery::id).isSortedAccordingTo((x, y) -> Long.compare(y, x));
    assertThat(all.stream().filter(d -> d.origin().equals("replay"))).hasSize(6);
    assertThat(
            deliveries
                .page(
                    tenant.datasetId(),
                    target.id(),
                    Optional.of(DeliveryStatus.DELIVERED),
                    Optional.empty(),
                    100)
                .deliveries())
        .isEmpty();
    assertThat(
            deliveries
                .page(
                    aTenant(jdbc).datasetId(), target.id(), Optional.empty(), Optional.empty(), 100)
                .deliveries())
        .as("another dataset sees none")
        .isEmpty();
  }

  private static DueDelivery only(List<DueDelivery> due) {
    assertThat(due).hasSize(1);
    return due.getFirst();
  }

  private long count(String sql, Object param) {
    return jdbc.sql(sql).param(param).query(Long.class).single();
  }
}
