package io.retouch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retouch.testkit.openai.ScriptedResponse;
import io.retouch.testkit.process.AppProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing lost, nothing twice, under faults: each case runs a load through the packaged api and two
 * worker processes, breaks something on the way (a worker process, or the network to Postgres,
 * RabbitMQ, S3, or OpenAI's answers), and reconciles every accepted job from the database and the
 * bucket, printing a RECONCILIATION line.
 */
class FaultInjectionFaultIT {

  private static final Duration SETTLE = Duration.ofMinutes(3);
  private static Stack stack;
  private Load load;

  @BeforeAll
  static void up() {
    stack = Stack.faulty();
  }

  @BeforeEach
  void fresh() {
    stack.openAi.reset();
    while (stack.workers().size() < 2) {
      stack.startWorker(Map.of());
    }
    load = new Load(stack.api);
  }

  @AfterEach
  void heal() {
    stack.postgresProxy.restore();
    stack.rabbitProxy.restore();
    stack.s3Proxy.restore();
    load.close();
  }

  @Test
  void kill_9_of_a_worker_mid_job_under_load_loses_and_duplicates_nothing() throws Exception {
    stack.openAi.setLatency(Duration.ofMillis(300));
    List<Future<UUID>> submissions = load.submit(200);
    Load.awaitAccepted(submissions);
    await().atMost(SETTLE).until(() -> count(load.accepted, "succeeded") >= 40);

    AppProcess victim = workerHoldingMostJobs();
    victim.kill();
    stack.forget(victim);

    Reconciliation result =
        Reconciliation.of("kill -9 worker mid-job", stack, load.accepted, SETTLE);
    assertThat(result.accepted()).isEqualTo(200);
    assertThat(result.succeeded()).isEqualTo(200);
    assertThat(result.lost()).isZero();
    assertThat(result.duplicated()).isZero();
    assertThat(attemptsWithOutcome(load.accepted, "lost"))
        .as("the kill interrupted running attempts, which the reaper gave back")
        .isPositive();
  }

  @Test
  void kill_9_of_a_worker_while_webhooks_are_in_flight_loses_no_event() throws Exception {
    int port = Stack.freePort();
    ApiClient.Answer created =
        stack.api.post("/api/webhooks", "{\"url\":\"http://127.0.0.1:%d/hook\"}".formatted(port));
    String endpoint = created.json().get("id").asString();
    try (NodeReceiver receiver =
        new NodeReceiver(port, created.json().get("secret").asString()).start()) {
      // each answer takes a while, so both workers always have deliveries in flight
      receiver.answer(204, Duration.ofMillis(700));
      Load.awaitAccepted(load.submit(40));
      await().atMost(SETTLE).until(() -> receiver.received().verified().size() >= 20);

      AppProcess victim = stack.workers().getFirst();
      victim.kill();
      stack.forget(victim);

      WebhookReconciliation result =
          WebhookReconciliation.of(
              "webhooks: kill -9 worker mid-delivery", receiver, load.accepted, SETTLE);
      assertThat(result.events()).isGreaterThanOrEqualTo(3 * 40);
      assertThat(result.lost()).isZero();
      assertThat(result.rejected()).isZero();
    } finally {
      stack.api.delete("/api/webhooks/" + endpoint);
    }
  }

  @Test
  void rabbitmq_unreachable_during_submissions_and_cut_for_10s_during_load_loses_nothing()
      throws Exception {
    stack.openAi.setLatency(Duration.ofMillis(100));
    stack.rabbitProxy.cut();
    // a synchronous client too: accepted while the broker is away, answered 200 once it is back
    CompletableFuture<ApiClient.Answer> waiting =
        CompletableFuture.supplyAsync(() -> stack.api.submit(Load.body("sync while down")));
    Load.awaitAccepted(load.submit(50));
    List<UUID> acceptedWhileDown = new ArrayList<>(load.accepted);
    assertThat(acceptedWhileDown).hasSize(50);
    assertThat(count(acceptedWhileDown, "queued")).isEqualTo(50);
    assertThat(waiting).isNotDone();
    stack.rabbitProxy.restore();
    ApiClient.Answer synchronous = waiting.get(SETTLE.toSeconds(), TimeUnit.SECONDS);
    assertThat(synchronous.status()).isEqualTo(200);
    assertThat(synchronous.json().get("image_urls")).hasSize(1);

    List<Future<UUID>> more = load.submit(100);
    await().atMost(SETTLE).until(() -> count(load.accepted, "succeeded") >= 60);
    stack.rabbitProxy.cut();
    hold(Duration.ofSeconds(10));
    stack.rabbitProxy.restore();
    Load.awaitAccepted(more);

    Reconciliation result =
        Reconciliation.of("RabbitMQ down and cut 10s", stack, load.accepted, SETTLE);
    assertThat(result.accepted()).isEqualTo(150);
    assertThat(result.succeeded()).isEqualTo(150);
    assertThat(result.lost()).isZero();
    assertThat(result.duplicated()).isZero();
  }

  @Test
  void postgres_cut_longer_than_the_delivery_limit_answers_503_and_fails_and_loses_nothing()
      throws Exception {
    stack.openAi.setLatency(Duration.ofMillis(100));
    List<Future<UUID>> submissions = load.submit(150);
    await().atMost(SETTLE).until(() -> count(load.accepted, "succeeded") >= 20);

    stack.postgresProxy.cut();
    ApiClient.Answer whileDown =
        stack.api.submit(Load.body("during the outage"), "Prefer", "respond-async");
    // longer than the delivery limit (10) times the consumers' 2 s wait for the database: a
    // consumer that requeued its message after each wait would have dead-lettered healthy jobs
    hold(Duration.ofSeconds(22));
    stack.postgresProxy.restore();
    Load.awaitAccepted(submissions);

    assertThat(whileDown.status()).isEqualTo(503);
    assertThat(whileDown.header("Retry-After")).isNotBlank();
    Reconciliation result = Reconciliation.of("Postgres cut", stack, load.accepted, SETTLE);
    assertThat(result.accepted()).isEqualTo(150);
    assertThat(result.succeeded()).isEqualTo(150);
    assertThat(result.lost()).isZero();
    assertThat(result.duplicated()).isZero();
  }

  @Test
  void s3_unreachable_for_10s_is_retried_and_every_job_succeeds() throws Exception {
    stack.openAi.setLatency(Duration.ofMillis(100));
    Load.awaitAccepted(load.submit(100));
    await().atMost(SETTLE).until(() -> count(load.accepted, "succeeded") >= 10);

    stack.s3Proxy.cut();
    hold(Duration.ofSeconds(10));
    stack.s3Proxy.restore();

    Reconciliation result = Reconciliation.of("S3 unreachable 10s", stack, load.accepted, SETTLE);
    assertThat(result.succeeded()).isEqualTo(100);
    assertThat(result.lost()).isZero();
    assertThat(result.duplicated()).isZero();
    assertThat(attemptsWithError(load.accepted, "storage_unavailable"))
        .as("jobs met the outage and were retried")
        .isPositive();
  }

  @Test
  void openai_429_and_500_storms_are_retried_and_a_refused_prompt_fails_once() throws Exception {
    stack.openAi.setLatency(Duration.ofMillis(50));
    for (int i = 0; i < 30; i++) {
      stack.openAi.enqueue(ScriptedResponse.rateLimited(Duration.ofSeconds(1)));
    }
    for (int i = 0; i < 30; i++) {
      stack.openAi.enqueue(ScriptedResponse.serverError());
    }
    stack.openAi.refusePromptsContaining("forbidden");

    List<Future<UUID>> submissions = load.submit(100);
    Load.awaitAccepted(submissions);
    // The refused prompt goes in once the storm is spent: a scripted 429 or 500 would otherwise
    // answer its first call, as OpenAI's rate limit would, and it would take two attempts.
    await().atMost(SETTLE).until(() -> stack.openAi.pendingScripts() == 0);
    UUID refused = load.submit(1, i -> "something forbidden").getFirst().get();

    Reconciliation result =
        Reconciliation.of("OpenAI 429/500 storms", stack, load.accepted, SETTLE);
    assertThat(result.accepted()).isEqualTo(101);
    assertThat(result.succeeded()).isEqualTo(100);
    assertThat(result.failed()).isEqualTo(1);
    assertThat(result.lost()).isZero();
    assertThat(result.duplicated()).isZero();
    assertThat(stack.openAi.pendingScripts()).isZero();
    assertThat(attemptsWithError(load.accepted, "openai_unavailable")).isGreaterThanOrEqualTo(60);

    var job =
        Database.query(
                "SELECT status, attempts, error_code, error_message FROM edit_jobs WHERE id = ?",
                refused)
            .getFirst();
    assertThat(job.get(0)).isEqualTo("failed");
    assertThat(job.get(1)).isEqualTo(1);
    assertThat(job.get(2)).isEqualTo("openai_rejected");
    assertThat((String) job.get(3)).contains("rejected as a result of our safety system");
    assertThat(stack.openAi.requests().stream().filter(r -> r.prompt().contains("forbidden")))
        .hasSize(1);
  }

  @Test
  void duplicate_deliveries_of_every_message_produce_one_set_of_outputs() throws Exception {
    stack.openAi.setLatency(Duration.ofMillis(100));
    int callsBefore = stack.openAi.requestCount();
    Load.awaitAccepted(load.submit(100));
    List<String> duplicates = new ArrayList<>();
    for (UUID id : load.accepted) {
      duplicates.add(Broker.jobMessage(id));
      duplicates.add(Broker.jobMessage(id));
    }
    Broker.publish(duplicates);

    Reconciliation result = Reconciliation.of("duplicate deliveries", stack, load.accepted, SETTLE);
    assertThat(result.succeeded()).isEqualTo(100);
    assertThat(result.lost()).isZero();
    assertThat(result.duplicated()).isZero();
    assertThat(stack.openAi.requestCount() - callsBefore)
        .as("one model call per job, however often its message arrived")
        .isEqualTo(100);
  }

  @Test
  void a_queue_purged_under_load_is_refilled_and_every_job_runs_once() throws Exception {
    // slow enough that every slot is busy and the fair line keeps messages ready to purge
    stack.openAi.setLatency(Duration.ofSeconds(3));
    int callsBefore = stack.openAi.requestCount();
    List<Future<UUID>> submissions = load.submit(300);
    String queue = Broker.topology().editQueue();
    long[] purged = {0};
    // purge until messages were really dropped (the fair line keeps only a few ready)
    await()
        .atMost(SETTLE)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> (purged[0] += Broker.purge(queue)) >= 20);
    Load.awaitAccepted(submissions);

    Reconciliation result = Reconciliation.of("queue purged", stack, load.accepted, SETTLE);
    assertThat(result.accepted()).isEqualTo(300);
    assertThat(result.succeeded()).isEqualTo(300);
    assertThat(result.lost()).isZero();
    assertThat(result.duplicated()).isZero();
    assertThat(stack.openAi.requestCount() - callsBefore)
        .as(
            "one model call per attempt: a re-enqueued message never ran a job twice (attempts"
                + " are only repeated when the 4 s test lease was reaped on a starved machine)")
        .isEqualTo(300 + attemptsWithOutcome(load.accepted, "lost"));
  }

  private static void hold(Duration fault) throws InterruptedException {
    // the fault lasts this long by design; nothing is asserted about timing
    Thread.sleep(fault.toMillis());
  }

  private AppProcess workerHoldingMostJobs() {
    Map<String, Long> owners =
        Database.query(
                "SELECT lease_owner, count(*) FROM edit_jobs WHERE status = 'processing'"
                    + " GROUP BY lease_owner")
            .stream()
            .collect(Collectors.toMap(r -> (String) r.get(0), r -> (Long) r.get(1)));
    return stack.workers().stream()
        .max(
            (a, b) ->
                Long.compare(owners.getOrDefault(a.name(), 0L), owners.getOrDefault(b.name(), 0L)))
        .orElseThrow();
  }

  static long count(Collection<UUID> ids, String status) {
    if (ids.isEmpty()) {
      return 0;
    }
    return (Long)
        Database.single(
            "SELECT count(*) FROM edit_jobs WHERE status = ? AND id IN (" + in(ids) + ")", status);
  }

  static long attemptsWithOutcome(Collection<UUID> ids, String outcome) {
    return (Long)
        Database.single(
            "SELECT count(*) FROM job_attempts WHERE outcome = ? AND job_id IN (" + in(ids) + ")",
            outcome);
  }

  static long attemptsWithError(Collection<UUID> ids, String code) {
    return (Long)
        Database.single(
            "SELECT count(*) FROM job_attempts WHERE error_code = ? AND job_id IN ("
                + in(ids)
                + ")",
            code);
  }

  private static String in(Collection<UUID> ids) {
    return ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
  }
}
