package io.retouch.e2e;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What became of every event of a set of jobs at a webhook receiver, once the jobs are finished:
 * events (the rows of {@code job_events}, read from Postgres), delivered (distinct event ids the
 * receiver verified), lost (events never verified when the wait ran out), duplicated ids (event ids
 * verified more than once: at-least-once delivery after a crash, which receivers deduplicate by
 * {@code webhook-id}). The line is printed even when the wait runs out.
 */
record WebhookReconciliation(
    String scenario, int events, int delivered, int lost, int duplicatedIds, int rejected) {

  static WebhookReconciliation of(
      String scenario, NodeReceiver receiver, Collection<UUID> jobs, Duration within) {
    try {
      await()
          .atMost(within)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  FaultInjectionFaultIT.count(jobs, "succeeded") + failedOrCanceled(jobs)
                          == jobs.size()
                      && missing(receiver, jobs).isEmpty());
    } catch (ConditionTimeoutException e) {
      System.out.println(
          "RECONCILIATION [" + scenario + "] events still undelivered after " + within);
    }
    Set<String> events = eventIds(jobs);
    NodeReceiver.Received received = receiver.received();
    Map<String, Integer> times = new HashMap<>();
    received.verified().forEach(v -> times.merge(v.id(), 1, Integer::sum));
    Set<String> delivered = new HashSet<>(times.keySet());
    delivered.retainAll(events);
    int duplicated = (int) times.entrySet().stream().filter(e -> e.getValue() > 1).count();
    WebhookReconciliation result =
        new WebhookReconciliation(
            scenario,
            events.size(),
            delivered.size(),
            events.size() - delivered.size(),
            duplicated,
            received.rejected());
    System.out.println(result.line());
    return result;
  }

  String line() {
    return "RECONCILIATION [%s] events=%d delivered=%d lost=%d duplicated-ids=%d rejected=%d"
        .formatted(scenario, events, delivered, lost, duplicatedIds, rejected);
  }

  /** Event ids of the jobs the receiver has not verified yet. */
  static Set<String> missing(NodeReceiver receiver, Collection<UUID> jobs) {
    Set<String> missing = eventIds(jobs);
    receiver.received().verified().forEach(v -> missing.remove(v.id()));
    return missing;
  }

  static Set<String> eventIds(Collection<UUID> jobs) {
    if (jobs.isEmpty()) {
      return new HashSet<>();
    }
    return Database.query("SELECT id FROM job_events WHERE job_id IN (" + in(jobs) + ")").stream()
        .map(row -> row.getFirst().toString())
        .collect(Collectors.toCollection(HashSet::new));
  }

  private static long failedOrCanceled(Collection<UUID> jobs) {
    return FaultInjectionFaultIT.count(jobs, "failed")
        + FaultInjectionFaultIT.count(jobs, "canceled");
  }

  private static String in(Collection<UUID> ids) {
    return ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
  }
}
