package io.retouch.testkit.bench;

import java.time.Duration;

/**
 * How much each scenario does: the full run the README's table comes from, or {@code --quick}, a
 * reduced one that exercises every figure in a few minutes (its numbers are noisier).
 */
record Sizes(
    int overheadRounds,
    int overheadConcurrency,
    Duration modelTime,
    int saturationJobs,
    int tinyJobs,
    int submissions,
    int inFlightJobs,
    Duration inFlightModelTime,
    int bigImages,
    long bigImageBytes,
    int scaleRounds,
    int scaleConcurrency,
    int fairnessBacklog) {

  static final Sizes FULL =
      new Sizes(
          3,
          32,
          Duration.ofSeconds(2),
          256,
          1000,
          50,
          1000,
          Duration.ofSeconds(30),
          20,
          50_000_000L,
          8,
          4,
          500);

  static final Sizes QUICK =
      new Sizes(
          1,
          32,
          Duration.ofSeconds(2),
          128,
          200,
          10,
          200,
          // long enough for all 200 to start before the first ends, on a loaded box
          Duration.ofSeconds(30),
          4,
          50_000_000L,
          3,
          4,
          100);
}
