package io.retouch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code scripts/bench --quick} runs every scenario on its own stack and reports every figure,
 * well-formed: the figures' values are the benchmark's business, not a test's (no timing here).
 */
class BenchEndToEndIT {

  /** Every figure of the README's Performance table. */
  private static final List<String> FIGURES =
      List.of(
          "overhead.p50_ratio",
          "overhead.p99_ratio",
          "saturation.ratio",
          "fairness.wait_ratio",
          "tiny.jobs_per_s",
          "tiny.commits_per_job",
          "tiny.model_rate",
          "tiny.pg_commit_ceiling",
          "tiny.ceiling_ratio",
          "cpu.api_ms_per_job",
          "cpu.worker_ms_per_job",
          "cpu.model_ms_per_call",
          "submit.p50_ms",
          "submit.p99_ms",
          "submit.baseline_p99_ms",
          "submit.p99_ratio",
          "scaleout.1_worker_jobs_per_s",
          "scaleout.2_workers_ratio",
          "scaleout.4_workers_ratio",
          "memory.worker_peak_rss_mib",
          "memory.worker_default_heap_peak_rss_mib",
          "memory.api_peak_rss_mib");

  @Test
  // the suite's default of 8 minutes is too short for every scenario on a loaded 2-core box; the
  // script's own limit below (20 minutes) ends a stuck run first, with its output
  @Timeout(value = 21, unit = TimeUnit.MINUTES)
  void the_quick_run_reports_every_figure_and_a_table() throws Exception {
    try (LocalStackScripts scripts = LocalStackScripts.isolated()) {
      Path results = scripts.outDir().resolve("bench.json");
      LocalStackScripts.Result run =
          scripts.run(
              Duration.ofMinutes(20),
              "bench",
              "--quick",
              "--out",
              results.toString(),
              "--dir",
              scripts.stackDir().resolve("bench").toString());

      assertThat(run.exitCode()).as(scripts.diagnostics(run)).isZero();
      JsonNode document = JsonMapper.builder().build().readTree(results.toFile());
      assertThat(document.get("mode").asString()).isEqualTo("quick");
      JsonNode figures = document.get("figures");
      assertThat(figures.propertyNames()).containsExactlyInAnyOrderElementsOf(FIGURES);
      for (String name : FIGURES) {
        JsonNode figure = figures.get(name);
        double value = figure.get("value").asDouble();
        assertThat(Double.isFinite(value) && value > 0).as(name + " = " + value).isTrue();
        assertThat(figure.get("detail").asString()).as(name).isNotBlank();
        if (figure.has("target")) {
          assertThat(figure.get("met").isBoolean()).as(name).isTrue();
        }
        assertThat(run.output()).as("one line per figure").containsPattern("(?m)^" + name + " ");
        assertThat(run.output()).as("the table").contains("| `" + name + "` |");
      }
    }
  }
}
