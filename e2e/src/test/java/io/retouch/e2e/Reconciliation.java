package io.retouch.e2e;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * What became of every accepted job, read straight from Postgres and S3 (not through the faulty
 * paths): accepted, succeeded, failed, lost (accepted but never finished), duplicated (a succeeded
 * job without exactly its n outputs, in the database or under its S3 prefix, or with more than one
 * successful attempt).
 */
record Reconciliation(
    String scenario, int accepted, int succeeded, int failed, int lost, int duplicated) {

  static Reconciliation of(
      String scenario, Stack stack, Collection<UUID> accepted, Duration within) {
    await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> unfinished(accepted) == 0);
    Map<String, Long> byStatus = statuses(accepted);
    int succeeded = byStatus.getOrDefault("succeeded", 0L).intValue();
    int failed = byStatus.getOrDefault("failed", 0L).intValue();
    int finished = byStatus.values().stream().mapToInt(Long::intValue).sum();
    int duplicated = 0;
    try (S3Client s3 = s3(stack)) {
      for (UUID id : accepted) {
        List<List<Object>> job =
            Database.query("SELECT status, n, dataset_id FROM edit_jobs WHERE id = ?", id);
        if (job.isEmpty() || !"succeeded".equals(job.getFirst().get(0))) {
          continue;
        }
        int n = (Integer) job.getFirst().get(1);
        long rows = (Long) Database.single("SELECT count(*) FROM job_outputs WHERE job_id = ?", id);
        long successes =
            (Long)
                Database.single(
                    "SELECT count(*) FROM job_attempts WHERE job_id = ? AND outcome = 'succeeded'",
                    id);
        String prefix = "outputs/" + job.getFirst().get(2) + "/" + id + "/";
        int objects = s3.listObjectsV2(b -> b.bucket(Stack.BUCKET).prefix(prefix)).keyCount();
        if (rows != n || objects != n || successes != 1) {
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

  String line() {
    return "RECONCILIATION [%s] accepted=%d succeeded=%d failed=%d lost=%d duplicated=%d"
        .formatted(scenario, accepted, succeeded, failed, lost, duplicated);
  }

  private static long unfinished(Collection<UUID> ids) {
    return ids.size()
        - statuses(ids).entrySet().stream()
            .filter(e -> List.of("succeeded", "failed", "canceled").contains(e.getKey()))
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
    return S3Client.builder()
        .endpointOverride(stack.s3.endpoint())
        .region(Region.of(stack.s3.region()))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(stack.s3.accessKey(), stack.s3.secretKey())))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }
}
