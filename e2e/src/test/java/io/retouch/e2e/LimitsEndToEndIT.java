package io.retouch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The limits hold across API replicas: two API processes of one stack share the key's token bucket
 * and the dataset's bound on queued plus running jobs, because both live in Postgres. No worker
 * runs, so accepted jobs stay queued and keep counting against the dataset.
 */
class LimitsEndToEndIT {

  private static final int BURST = 12;
  private static Stack stack;
  private static ApiClient first;
  private static ApiClient second;

  @BeforeAll
  static void up() {
    stack =
        Stack.start(
            new Stack.Options(
                0,
                false,
                Map.of(
                    "RETOUCH_LIMITS_KEYBURST",
                    String.valueOf(BURST),
                    "RETOUCH_LIMITS_KEYRATE",
                    "0.01")));
    first = stack.api;
    second = stack.startAnotherApi();
  }

  @Test
  void two_api_processes_share_the_key_rate_and_the_dataset_bound() throws Exception {
    // paused (max_running 0): whatever relay and worker share this database, the accepted jobs
    // stay queued and keep counting against the bound
    Database.query(
        "UPDATE datasets SET max_active = 3, max_running = 0 WHERE id = CAST(? AS uuid)"
            + " RETURNING id",
        stack.tenant.datasetId());

    // eight concurrent submissions, alternating between the two processes: exactly three fit
    List<ApiClient.Answer> submissions = concurrently(8);
    assertThat(submissions).filteredOn(a -> a.status() == 202).hasSize(3);
    assertThat(submissions)
        .filteredOn(a -> a.status() == 429)
        .hasSize(5)
        .allSatisfy(
            a -> {
              assertThat(a.header("Retry-After")).isNotBlank();
              assertThat(a.header("RateLimit-Policy"))
                  .isEqualTo("\"dataset-active\";q=3;qu=\"concurrent-requests\"");
            });
    assertThat(jobsOfTenant()).isEqualTo(3);

    // the key spent eight of its twelve tokens, whichever process answered
    List<ApiClient.Answer> reads = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      reads.add((i % 2 == 0 ? first : second).get("/api/message/edit_image"));
    }
    assertThat(reads)
        .extracting(ApiClient.Answer::status)
        .containsExactly(200, 200, 200, 200, 429, 429);
    assertThat(reads.get(4).header("RateLimit")).startsWith("\"key\";r=0;");
    assertThat(jobsOfTenant()).isEqualTo(3);
  }

  private static List<ApiClient.Answer> concurrently(int count) throws Exception {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<ApiClient.Answer>> answers = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ApiClient api = i % 2 == 0 ? first : second;
        answers.add(pool.submit(() -> api.submit(Load.body("limits"), "Prefer", "respond-async")));
      }
      List<ApiClient.Answer> done = new ArrayList<>();
      for (Future<ApiClient.Answer> answer : answers) {
        done.add(answer.get());
      }
      return done;
    }
  }

  private static long jobsOfTenant() {
    return (Long)
        Database.single(
            "SELECT count(*) FROM edit_jobs WHERE dataset_id = CAST(? AS uuid)",
            stack.tenant.datasetId());
  }
}
