package io.retouch.api.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.api.support.ApiClient.Answer;
import io.retouch.api.support.ApiIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.RepeatedTest;

/** Submissions racing for a dataset's last places: the bound is exact, never overrun. */
class DatasetLimitRaceTest extends ApiIntegrationTest {

  @RepeatedTest(3)
  void concurrent_submissions_never_overrun_the_datasets_limit() {
    jdbc.sql("UPDATE datasets SET max_active = 3 WHERE id = ?").param(tenant.datasetId()).update();
    List<CompletableFuture<Answer>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 10; i++) {
        answers.add(CompletableFuture.supplyAsync(this::submitAsync, pool));
      }
    }
    List<Integer> statuses = answers.stream().map(a -> a.join().status()).toList();

    assertThat(statuses).filteredOn(s -> s == 202).hasSize(3);
    assertThat(statuses).filteredOn(s -> s == 429).hasSize(7);
    assertThat(
            jdbc.sql("SELECT count(*) FROM edit_jobs WHERE dataset_id = ?")
                .param(tenant.datasetId())
                .query(Long.class)
                .single())
        .isEqualTo(3);
  }
}
