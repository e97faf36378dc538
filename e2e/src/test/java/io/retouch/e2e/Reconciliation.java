package io.retouch.e2e;

import static org.awaitility.Awaitility.await;

import io.retouch.common.storage.S3Clients;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What became of every accepted job, read straight from Postgres and S3 (not through the faulty
 * paths): accepted, succeeded, failed, lost (accepted but not finished, or missing, when the wait
 * ran out), duplicated (a succeeded job without exactly its n outputs in the database and under its
 * S3 prefix, with an object whose bytes differ from its recorded sha256, or with more than one
 * successful attempt; a job that did not succeed with any object under its prefix). The line is
 * printed even when the wait runs out, so a stuck job shows up as lost rather than as a timeout.
 */
record Reconciliation(
    String scenario, int accepted, int succeeded, int failed, int lost, int duplicated) {

  private static final List<String> TERMINAL = List.of("succeeded", "failed", "canceled");

  static Reconciliation of(
      String scenario, Stack stack, Collection<UUID> accepted, Duration within) {
    try {
      await()
          .atMost(within)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> unfinished(accepted) == 0);
    } catch (ConditionTimeoutException e) {
      System.out.println("RECONCILIATION [" + scenario + "] jobs still unfinished after " + within);
    }
    Map<String, Long> byStatus = statuses(accepted);
    int succeeded = byStatus.getOrDefault("succeeded", 0L).intValue();
    int failed = byStatus.getOrDefault("failed", 0L).intValue();
    int finished = TERMINAL.stream().mapToInt(s -> byStatus.getOrDefault(s, 0L).intValue()).sum();
    int duplicated = 0;
    try (S3Client s3 = s3(stack)) {
      for (UUID id : accepted) {
        if (!exactlyItsOutputs(s3, id)) {
          duplicated++;
        }
      }
    }
    Reconciliation result =
        new Reconciliation(
            scenario, accepted.size(), succeeded, failed, accepted.size() - finished, duplicated);
    System.out.println(result.line());
    return result;
  }

  /** Whether the job's S3 prefix holds exactly what its rows say, and one success made it. */
  private static boolean exactlyItsOutputs(S3Client s3, UUID id) {
    List<List<Object>> job =
        Database.query("SELECT status, n, dataset_id FROM edit_jobs WHERE id = ?", id);
    if (job.isEmpty()) {
      return true; // lost, counted as such
    }
    String prefix = "outputs/" + job.getFirst().get(2) + "/" + id + "/";
    Map<String, String> objects = new HashMap<>();
    s3.listObjectsV2Paginator(b -> b.bucket(Stack.BUCKET).prefix(prefix))
        .contents()
        .forEach(o -> objects.put(o.key(), sha256(s3, o.key())));
    if (!"succeeded".equals(job.getFirst().get(0))) {
      return objects.isEmpty();
    }
    int n = (Integer) job.getFirst().get(1);
    Map<String, String> recorded = new HashMap<>();
    Database.query("SELECT s3_key, sha256 FROM job_outputs WHERE job_id = ?", id)
        .forEach(r -> recorded.put((String) r.get(0), (String) r.get(1)));
    long successes =
        (Long)
            Database.single(
                "SELECT count(*) FROM job_attempts WHERE job_id = ? AND outcome = 'succeeded'", id);
    return recorded.size() == n && objects.equals(recorded) && successes == 1;
  }

  private static String sha256(S3Client s3, String key) {
    byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(Stack.BUCKET).key(key)).asByteArray();
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  String line() {
    return "RECONCILIATION [%s] accepted=%d succeeded=%d failed=%d lost=%d duplicated=%d"
        .formatted(scenario, accepted, succeeded, failed, lost, duplicated);
  }

  private static long unfinished(Collection<UUID> ids) {
    return ids.size()
        - statuses(ids).entrySet().stream()
            .filter(e -> TERMINAL.contains(e.getKey()))
            .mapToLong(Map.Entry::getValue)
            .sum();
  }

  private static Map<String, Long> statuses(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    String list = ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
    return Database.query(
            "SELECT status, count(*) FROM edit_jobs WHERE id IN (" + list + ") GROUP BY status")
        .stream()
        .collect(Collectors.toMap(r -> (String) r.get(0), r -> (Long) r.get(1)));
  }

  static S3Client s3(Stack stack) {
    return S3Clients.client(stack.s3.storage(Stack.BUCKET));
  }
}
