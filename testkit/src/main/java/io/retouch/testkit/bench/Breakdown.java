package io.retouch.testkit.bench;

import io.retouch.testkit.otlp.OtlpCollector;
import io.retouch.testkit.otlp.OtlpCollector.Span;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code --trace}: where the jobs' time went, from their spans: the median of each span by process
 * and name, and the gaps between the request's span and the worker's attempt.
 */
final class Breakdown {

  private Breakdown() {}

  static void print(OtlpCollector traces, Collection<UUID> jobs, PrintStream out) {
    Set<String> ids = jobs.stream().map(UUID::toString).collect(Collectors.toSet());
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    List<Span> spans;
    Set<String> traceIds;
    do {
      spans = traces.spans();
      traceIds =
          spans.stream()
              .filter(s -> ids.contains(s.attributes().get("job.id")))
              .map(Span::traceId)
              .collect(Collectors.toSet());
      pause();
    } while (System.nanoTime() < deadline && traceIds.size() < ids.size());
    Map<String, List<Double>> byName = new TreeMap<>();
    Map<String, List<Span>> byTrace = new TreeMap<>();
    for (Span span : spans) {
      if (traceIds.contains(span.traceId())) {
        byName
            .computeIfAbsent(span.service() + " " + span.name(), k -> new ArrayList<>())
            .add(span.seconds());
        byTrace.computeIfAbsent(span.traceId(), k -> new ArrayList<>()).add(span);
      }
    }
    out.println("where the time went (" + traceIds.size() + " traces; medians):");
    byName.forEach(
        (name, seconds) ->
            out.printf("  %-60s %8.3f s  (%d)%n", name, Stats.median(seconds), seconds.size()));
    List<Double> before = new ArrayList<>();
    List<Double> after = new ArrayList<>();
    for (List<Span> trace : byTrace.values()) {
      Span request = first(trace, "retouch-api", "http post");
      Span attempt = first(trace, "retouch-worker", "attempt");
      if (request != null && attempt != null) {
        before.add((attempt.startNanos() - request.startNanos()) / 1e9);
        after.add((request.endNanos() - attempt.endNanos()) / 1e9);
      }
    }
    out.printf("  %-60s %8.3f s%n", "request start -> attempt start", Stats.median(before));
    out.printf("  %-60s %8.3f s%n", "attempt end -> response end", Stats.median(after));
  }

  private static Span first(List<Span> trace, String service, String prefix) {
    return trace.stream()
        .filter(s -> s.service().equals(service) && s.name().startsWith(prefix))
        .findFirst()
        .orElse(null);
  }

  private static void pause() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
