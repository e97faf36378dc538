package io.retouch.testkit.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code scripts/bench [--quick] [--only SCENARIO] [--out FILE] [--dir DIR]}: brings up its own
 * stack, runs every scenario (or only the one named: {@code overhead}, {@code saturation}, {@code
 * fairness}, {@code tiny}, {@code submit}, {@code scaleout}, {@code memory-worker}, {@code
 * memory-api}), prints one line per figure and then a table, writes the figures as JSON (default
 * {@code bench/results.json}), and stops everything. Exit status 0 when every figure was measured
 * (targets missed are reported, not failed), 1 when a scenario could not run, 2 for bad arguments.
 */
public final class Bench {
  // run by Launcher: java -jar retouch-testkit.jar bench …

  static final String USAGE =
      "usage: scripts/bench [--quick] [--trace] [--only SCENARIO] [--out FILE] [--dir DIR]";

  /** The scenarios by the name of their figures, in the order of a full run. */
  private static final List<String> SCENARIOS =
      List.of(
          "overhead",
          "saturation",
          "fairness",
          "tiny",
          "submit",
          "scaleout",
          "memory-worker",
          "memory-api");

  private Bench() {}

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    boolean trace = false;
    String only = null;
    Path repo = Path.of(System.getProperty("retouch.repo", ".")).toAbsolutePath().normalize();
    Path out = repo.resolve("bench/results.json");
    Path dir = repo.resolve("bench/target/stack");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--trace" -> trace = true;
        case "--out" -> out = Path.of(value(args, ++i)).toAbsolutePath();
        case "--dir" -> dir = Path.of(value(args, ++i)).toAbsolutePath();
        case "--only" -> {
          only = value(args, ++i);
          if (!SCENARIOS.contains(only)) {
            System.err.println("unknown scenario: " + only + "; one of " + SCENARIOS);
            System.exit(2);
          }
        }
        default -> {
          System.err.println("unknown argument: " + args[i]);
          System.err.println(USAGE);
          System.exit(2);
        }
      }
    }
    Sizes sizes = quick ? Sizes.QUICK : Sizes.FULL;
    Instant started = Instant.now();
    List<Figure> figures = new ArrayList<>();
    System.out.println("bench: " + (quick ? "quick" : "full") + " run, stack in " + dir);
    try (BenchStack stack = new BenchStack(repo, dir, trace)) {
      stack.startWorkers(1, java.util.Map.of());
      Scenarios scenarios =
          new Scenarios(
              stack,
              sizes,
              figure -> {
                figures.add(figure);
                System.out.println(figure.line());
              });
      for (String scenario : only == null ? SCENARIOS : List.of(only)) {
        switch (scenario) {
          case "overhead" -> scenarios.overhead();
          case "saturation" -> scenarios.saturation();
          case "fairness" -> scenarios.fairness();
          case "tiny" -> scenarios.tinyJobs();
          case "submit" -> scenarios.submitLatency();
          case "scaleout" -> scenarios.scaleOut();
          case "memory-worker" -> scenarios.workerMemory();
          case "memory-api" -> scenarios.apiMemory();
          default -> throw new IllegalStateException(scenario);
        }
      }
    } catch (RuntimeException e) {
      System.err.println("bench: a scenario failed: " + e);
      e.printStackTrace();
      Report.write(out, figures, quick, started);
      System.exit(1);
    }
    System.out.println();
    Report.table(figures, System.out);
    Report.write(out, figures, quick, started);
    System.out.println("bench: wrote " + out);
    // TestServices' shutdown hook drops the database and the queues
    System.exit(0);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      System.err.println(USAGE);
      System.exit(2);
    }
    return args[i];
  }
}
