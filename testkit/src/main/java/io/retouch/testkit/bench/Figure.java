package io.retouch.testkit.bench;

import java.util.Optional;

/**
 * One measured figure.
 *
 * @param name stable key in {@code bench/results.json}, e.g. {@code overhead.p50_ratio}
 * @param detail what was divided by what, with the raw numbers, for the reader
 */
record Figure(String name, double value, String unit, Optional<Target> target, String detail) {

  /** A figure's goal: at most or at least {@code bound}. */
  record Target(boolean atMost, double bound) {
    static Target atMost(double bound) {
      return new Target(true, bound);
    }

    static Target atLeast(double bound) {
      return new Target(false, bound);
    }

    boolean holds(double value) {
      return atMost ? value <= bound : value >= bound;
    }

    String text() {
      return (atMost ? "≤ " : "≥ ") + Report.number(bound);
    }
  }

  static Figure of(String name, double value, String unit, String detail) {
    return new Figure(name, value, unit, Optional.empty(), detail);
  }

  static Figure of(String name, double value, String unit, Target target, String detail) {
    return new Figure(name, value, unit, Optional.of(target), detail);
  }

  /** met, missed, or "-" when the figure has no target. */
  String verdict() {
    return target.map(t -> t.holds(value) ? "met" : "missed").orElse("-");
  }

  String line() {
    return "%-32s %10s %-6s %-8s %-7s %s"
        .formatted(
            name,
            Report.number(value),
            unit,
            target.map(Target::text).orElse(""),
            verdict(),
            detail);
  }
}
