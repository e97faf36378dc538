package io.retouch.testkit.bench;

import io.retouch.testkit.bench.Client.Timed;
import io.retouch.testkit.bench.Figure.Target;
import io.retouch.testkit.process.AppProcess;
import io.retouch.testkit.s3.LocalS3;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The scenarios of {@code scripts/bench}. Each compares two things measured in this run, side by
 * side, and starts with a discarded warm-up round: a cold JVM measures very differently from a warm
 * one.
 */
final class Scenarios {

  private static final Duration PATIENCE = Duration.ofMinutes(15);
  private static final double MIB = 1024.0 * 1024.0;
  // the heap a worker is given in production (README Deploying): its live set at 1,000 in-flight
  // jobs is about 90 MB; without a bound the JVM lets the heap grow to a quarter of the machine
  private static final String WORKER_HEAP = "-Xmx256m";

  private final BenchStack stack;
  private final Client client;
  private final Database db;
  private final Sizes sizes;
  private final Consumer<Figure> out;
  private final byte[] small = Images.plain(256, 256);
  private final String smallRequest = Images.request(small, "bench");

  Scenarios(BenchStack stack, Sizes sizes, Consumer<Figure> out) {
    this.stack = stack;
    this.client = new Client(stack);
    this.db = new Database(stack.services().postgres());
    this.sizes = sizes;
    this.out = out;
  }

  /** 32 concurrent synchronous edits against 32 concurrent direct calls of the same model. */
  void overhead() {
    stack.setModelLatency(sizes.modelTime());
    int n = sizes.overheadConcurrency();
    overheadRound(n, new ArrayList<>()); // warm-up
    List<Double> retouch = new ArrayList<>();
    List<Double> direct = new ArrayList<>();
    List<UUID> jobs = new ArrayList<>();
    for (int i = 0; i < sizes.overheadRounds(); i++) {
      Round round = overheadRound(n, jobs);
      retouch.addAll(round.retouch());
      direct.addAll(round.direct());
    }
    Database.Phases phases = db.phases(jobs);
    stack.traces().ifPresent(traces -> Breakdown.print(traces, jobs, System.out));
    double p50 = Stats.median(retouch) / Stats.median(direct);
    double p99 = Stats.percentile(retouch, 99) / Stats.percentile(direct, 99);
    out.accept(
        Figure.of(
            "overhead.p50_ratio",
            p50,
            "x",
            Target.atMost(1.02),
            ("Retouch sync p50 %.3f s / direct p50 %.3f s (%d concurrent, %d rounds; p50 queue"
                    + " wait %.3f s, attempt %.3f s)")
                .formatted(
                    Stats.median(retouch),
                    Stats.median(direct),
                    n,
                    sizes.overheadRounds(),
                    phases.queueWait(),
                    phases.attempt())));
    out.accept(
        Figure.of(
            "overhead.p99_ratio",
            p99,
            "x",
            Target.atMost(1.10),
            "Retouch sync p99 %.3f s / direct p99 %.3f s"
                .formatted(Stats.percentile(retouch, 99), Stats.percentile(direct, 99))));
  }

  /** One overhead round's durations, seconds: Retouch's synchronous edits and the direct calls. */
  private record Round(List<Double> retouch, List<Double> direct) {}

  private Round overheadRound(int n, List<UUID> jobs) {
    List<Timed> sync =
        Client.concurrently(n, n, () -> client.submit(stack.tenant, smallRequest, false));
    for (Timed t : sync) {
      if (t.status() != 200) {
        throw new IllegalStateException(
            "a synchronous edit answered " + t.status() + ": " + t.body());
      }
      jobs.add(UUID.fromString(t.queryId()));
    }
    List<Timed> direct = Client.concurrently(n, n, () -> client.direct(small));
    return new Round(seconds(sync), seconds(direct));
  }

  /** Many asynchronous jobs at once: achieved jobs/s against workers × concurrency ÷ model time. */
  void saturation() {
    stack.setModelLatency(sizes.modelTime());
    int concurrency = 64; // retouch.worker.concurrency's default
    submitAndFinish(stack.tenant, smallRequest, concurrency); // warm-up
    double model = Stats.median(seconds(Client.concurrently(8, 8, () -> client.direct(small))));
    Database.Batch batch = submitAndFinish(stack.tenant, smallRequest, sizes.saturationJobs());
    double achieved = batch.jobs() / batch.seconds();
    double ideal = stack.workers().size() * concurrency / model;
    out.accept(
        Figure.of(
            "saturation.ratio",
            achieved / ideal,
            "x",
            Target.atLeast(0.95),
            "%.2f jobs/s of ideal %d workers × %d / %.3f s = %.2f jobs/s (%d jobs)"
                .formatted(
                    achieved, stack.workers().size(), concurrency, model, ideal, batch.jobs())));
  }

  /** One dataset floods the queue, then another submits one job: how long does it wait? */
  void fairness() {
    stack.setModelLatency(sizes.modelTime());
    double model = Stats.median(seconds(Client.concurrently(4, 4, () -> client.direct(small))));
    List<UUID> flood = submitAll(stack.tenant, smallRequest, sizes.fairnessBacklog());
    UUID single = Client.jobId(client.submit(stack.other, smallRequest, true));
    db.awaitFinished(List.of(single), PATIENCE);
    double wait = db.queueWaitSeconds(single);
    db.awaitFinished(flood, PATIENCE);
    out.accept(
        Figure.of(
            "fairness.wait_ratio",
            wait / model,
            "x",
            Target.atMost(1.5),
            "second dataset's job waited %.2f s behind %d queued, model %.3f s"
                .formatted(wait, flood.size(), model)));
  }

  /**
   * Tiny jobs on a 0 ms model: jobs/s against what Postgres allows at the commits a job costs, the
   * model server's own rate, and the CPU each process spends per job.
   */
  void tinyJobs() {
    stack.setModelLatency(Duration.ZERO);
    byte[] tiny = Images.plain(8, 8);
    String request = Images.request(tiny, "tiny");
    submitAndFinish(stack.tenant, request, 100); // warm-up
    AppProcess api = stack.api();
    AppProcess worker = stack.workers().getFirst();
    long commitsBefore = db.commits();
    double apiCpu = Proc.cpuSeconds(api.pid());
    double workerCpu = Proc.cpuSeconds(worker.pid());
    double fakeCpu = Proc.cpuSeconds(stack.fake().pid());
    Database.Batch batch = submitAndFinish(stack.tenant, request, sizes.tinyJobs());
    double apiPerJob = (Proc.cpuSeconds(api.pid()) - apiCpu) / batch.jobs();
    double workerPerJob = (Proc.cpuSeconds(worker.pid()) - workerCpu) / batch.jobs();
    double fakeDuringJobs = (Proc.cpuSeconds(stack.fake().pid()) - fakeCpu) / batch.jobs();
    double commitsPerJob = (db.commits() - commitsBefore) / (double) batch.jobs();
    double jobsPerSecond = batch.jobs() / batch.seconds();

    double fakeBefore = Proc.cpuSeconds(stack.fake().pid());
    long start = System.nanoTime();
    Client.concurrently(sizes.tinyJobs(), 64, () -> client.direct(tiny));
    double modelRate = sizes.tinyJobs() / ((System.nanoTime() - start) / 1e9);
    double fakePerCall = (Proc.cpuSeconds(stack.fake().pid()) - fakeBefore) / sizes.tinyJobs();
    double ceiling = db.commitCeiling(8, Duration.ofSeconds(3));
    double bound = ceiling / commitsPerJob;

    out.accept(
        Figure.of(
            "tiny.jobs_per_s",
            jobsPerSecond,
            "1/s",
            batch.jobs() + " jobs, 8×8 input, 0 ms model"));
    out.accept(
        Figure.of(
            "tiny.commits_per_job",
            commitsPerJob,
            "",
            "pg_stat_database xact_commit of the stack's database, all processes"));
    out.accept(Figure.of("tiny.model_rate", modelRate, "1/s", "direct calls at concurrency 64"));
    out.accept(
        Figure.of(
            "tiny.pg_commit_ceiling",
            ceiling,
            "1/s",
            "8 connections, one single-row INSERT per commit, 3 s"));
    out.accept(
        Figure.of(
            "tiny.ceiling_ratio",
            jobsPerSecond / bound,
            "x",
            Target.atLeast(0.5),
            "%.1f jobs/s / (%.0f commits/s / %.1f commits per job = %.1f jobs/s)"
                .formatted(jobsPerSecond, ceiling, commitsPerJob, bound)));
    out.accept(
        Figure.of(
            "cpu.api_ms_per_job",
            apiPerJob * 1000,
            "ms",
            "API process CPU (user+system) per tiny job"));
    out.accept(
        Figure.of(
            "cpu.worker_ms_per_job", workerPerJob * 1000, "ms", "worker process CPU per tiny job"));
    out.accept(
        Figure.of(
            "cpu.model_ms_per_call",
            fakePerCall * 1000,
            "ms",
            "fake model CPU per direct call (%.2f ms per job while serving the jobs)"
                .formatted(fakeDuringJobs * 1000)));
  }

  /** An asynchronous submission of a 1.5 MB PNG against one S3 PUT of it plus one commit. */
  void submitLatency() throws SQLException {
    stack.setModelLatency(Duration.ZERO);
    byte[] png = Images.noise(1_500_000);
    String request = Images.request(png, "big");
    List<Double> submit = new ArrayList<>();
    List<Double> baseline = new ArrayList<>();
    List<UUID> jobs = new ArrayList<>();
    db.createCommitTable();
    try (S3Client s3 = s3();
        Connection connection = db.connect()) {
      for (int i = -3; i < sizes.submissions(); i++) { // three warm-up pairs
        Timed accepted = client.submit(stack.tenant, request, true);
        jobs.add(Client.jobId(accepted));
        long start = System.nanoTime();
        String key = "baseline/" + i;
        s3.putObject(
            b -> b.bucket("bench").key(key).contentType("image/png"), RequestBody.fromBytes(png));
        Database.commitOne(connection);
        double base = (System.nanoTime() - start) / 1e9;
        if (i >= 0) {
          submit.add(accepted.seconds());
          baseline.add(base);
        }
      }
    }
    db.awaitFinished(jobs, PATIENCE);
    out.accept(
        Figure.of(
            "submit.p50_ms",
            Stats.median(submit) * 1000,
            "ms",
            png.length + " byte PNG, Prefer: respond-async"));
    out.accept(
        Figure.of(
            "submit.p99_ms",
            Stats.percentile(submit, 99) * 1000,
            "ms",
            sizes.submissions() + " submissions, one at a time"));
    out.accept(
        Figure.of(
            "submit.baseline_p99_ms",
            Stats.percentile(baseline, 99) * 1000,
            "ms",
            "one S3 PUT of the bytes + one Postgres commit"));
    out.accept(
        Figure.of(
            "submit.p99_ratio",
            Stats.percentile(submit, 99) / Stats.percentile(baseline, 99),
            "x",
            Target.atMost(2.0),
            "submission p99 / (PUT + commit) p99"));
  }

  /** The saturation scenario with 1, 2 and 4 workers of low concurrency: does throughput scale? */
  void scaleOut() {
    stack.setModelLatency(sizes.modelTime());
    int concurrency = sizes.scaleConcurrency();
    double one = 0;
    for (int workers : new int[] {1, 2, 4}) {
      stack.startWorkers(workers, Map.of("RETOUCH_WORKER_CONCURRENCY", "" + concurrency));
      submitAndFinish(stack.tenant, smallRequest, workers * concurrency); // warm-up
      Database.Batch batch =
          submitAndFinish(stack.tenant, smallRequest, workers * concurrency * sizes.scaleRounds());
      double rate = batch.jobs() / batch.seconds();
      if (workers == 1) {
        one = rate;
        out.accept(
            Figure.of(
                "scaleout.1_worker_jobs_per_s",
                rate,
                "1/s",
                "concurrency " + concurrency + ", model " + sizes.modelTime().toMillis() + " ms"));
      } else {
        String name = "scaleout." + workers + "_workers_ratio";
        String detail = "%.2f jobs/s / %.2f jobs/s of one worker".formatted(rate, one);
        out.accept(
            workers == 4
                ? Figure.of(name, rate / one, "x", Target.atLeast(3.5), detail)
                : Figure.of(name, rate / one, "x", detail));
      }
    }
    stack.startWorkers(1, Map.of());
  }

  /**
   * Peak RSS of a worker holding many slow jobs at once: with the heap bound a deployment gives it
   * ({@link #WORKER_HEAP}, see README Deploying), against the same worker on the JVM's default
   * sizing (a quarter of this box's memory as the heap limit, which G1 grows into before it
   * collects).
   */
  void workerMemory() {
    long bounded = workerPeakRss(Map.of("JDK_JAVA_OPTIONS", WORKER_HEAP));
    long jvmDefault = workerPeakRss(Map.of());
    out.accept(
        Figure.of(
            "memory.worker_peak_rss_mib",
            bounded / MIB,
            "MiB",
            Target.atMost(512),
            "%d jobs in flight at once (%d s model), heap bound %s"
                .formatted(
                    sizes.inFlightJobs(), sizes.inFlightModelTime().toSeconds(), WORKER_HEAP)));
    out.accept(
        Figure.of(
            "memory.worker_default_heap_peak_rss_mib",
            jvmDefault / MIB,
            "MiB",
            "the same with the JVM's default heap sizing (no -Xmx)"));
    stack.startWorkers(1, Map.of());
  }

  private long workerPeakRss(Map<String, String> extraEnv) {
    int jobs = sizes.inFlightJobs();
    stack.setModelLatency(sizes.inFlightModelTime());
    // queued before the worker starts, so all of them are in flight at once however long the
    // submissions take on a loaded box (the first would otherwise end before the last arrived)
    stack.startWorkers(0, Map.of());
    List<UUID> ids = submitAll(stack.tenant, smallRequest, jobs);
    Map<String, String> env = new java.util.HashMap<>(extraEnv);
    env.put("RETOUCH_WORKER_CONCURRENCY", "" + jobs);
    stack.startWorkers(1, env);
    AppProcess worker = stack.workers().getFirst();
    db.awaitProcessing(ids, jobs, PATIENCE);
    db.awaitFinished(ids, PATIENCE);
    return Proc.peakRssBytes(worker.pid());
  }

  /** Peak RSS of a fresh API accepting many large images at once. */
  void apiMemory() {
    stack.startWorkers(0, Map.of()); // the jobs stay queued and are canceled
    stack.startApi(Map.of());
    byte[] png = Images.noise(sizes.bigImageBytes());
    byte[] body = Images.request(png, "large").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<Optional<Timed>> answers =
        Client.concurrently(
            sizes.bigImages(),
            sizes.bigImages(),
            () -> {
              try {
                return Optional.of(client.submitBytes(stack.tenant, body));
              } catch (java.io.UncheckedIOException closed) {
                // the API refused the body and closed the connection before reading it
                return Optional.<Timed>empty();
              }
            });
    long peak = Proc.peakRssBytes(stack.api().pid());
    int accepted = 0;
    int refused = 0;
    for (Optional<Timed> answer : answers) {
      if (answer.isPresent() && answer.get().status() == 202) {
        accepted++;
        client.cancel(stack.tenant, Client.jobId(answer.get()));
      } else {
        refused++;
      }
    }
    out.accept(
        Figure.of(
            "memory.api_peak_rss_mib",
            peak / MIB,
            "MiB",
            Target.atMost(1024),
            "%d concurrent %.0f MB PNGs: %d accepted, %d refused (503, the body budget)"
                .formatted(sizes.bigImages(), png.length / 1e6, accepted, refused)));
    stack.startWorkers(1, Map.of());
  }

  private Database.Batch submitAndFinish(BenchStack.Tenant tenant, String request, int jobs) {
    List<UUID> ids = submitAll(tenant, request, jobs);
    return db.awaitFinished(ids, PATIENCE);
  }

  /** Submits {@code jobs} asynchronous jobs as fast as 32 clients can. */
  private List<UUID> submitAll(BenchStack.Tenant tenant, String request, int jobs) {
    return Client.concurrently(
        jobs, 32, () -> Client.jobId(client.submitRetrying(tenant, request, true)));
  }

  private S3Client s3() {
    return S3Client.builder()
        .endpointOverride(stack.s3Endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY)))
        .build();
  }

  private static List<Double> seconds(List<Timed> timed) {
    return timed.stream().map(Timed::seconds).toList();
  }
}
