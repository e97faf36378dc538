package io.retouch.e2e;

import java.awt.Color;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A client load: submissions in the asynchronous mode from several threads, each with its own
 * {@code Idempotency-Key}, retried as a careful client would (after {@code Retry-After} on 503, or
 * when the connection broke) until accepted. Records every accepted job id and what the API
 * answered on the way.
 */
final class Load {

  private static final byte[] INPUT = TestImages.png(48, 48, new Color(200, 90, 40));

  private final ApiClient api;
  final Set<UUID> accepted = ConcurrentHashMap.newKeySet();
  final AtomicInteger unavailable = new AtomicInteger();
  final AtomicInteger unavailableWithRetryAfter = new AtomicInteger();
  final AtomicInteger brokenConnections = new AtomicInteger();
  private final ExecutorService clients = Executors.newFixedThreadPool(6);

  Load(ApiClient api) {
    this.api = api;
  }

  static String body(String prompt) {
    return body(prompt, 1);
  }

  static String body(String prompt, int n) {
    return "{\"input_images\":[%s],\"prompt\":\"%s\",\"n\":%d}"
        .formatted(TestImages.inline("in.png", INPUT), prompt, n);
  }

  /**
   * Starts {@code count} submissions; {@code prompt} gives each its prompt. Every other job asks
   * for two images, so the reconciliation checks "exactly n outputs" for n above one too.
   */
  List<Future<UUID>> submit(int count, IntFunction<String> prompt) {
    return java.util.stream.IntStream.range(0, count)
        .mapToObj(i -> clients.submit(() -> submitOne(body(prompt.apply(i), 1 + i % 2))))
        .toList();
  }

  List<Future<UUID>> submit(int count) {
    return submit(count, i -> "load " + i);
  }

  /** Waits for the submissions to be accepted. */
  static void awaitAccepted(List<Future<UUID>> submissions) throws Exception {
    for (Future<UUID> submission : submissions) {
      submission.get();
    }
  }

  private UUID submitOne(String body) throws InterruptedException {
    String key = UUID.randomUUID().toString();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      ApiClient.Answer answer;
      try {
        answer = api.submit(body, "Prefer", "respond-async", "Idempotency-Key", key);
      } catch (UncheckedIOException broken) {
        brokenConnections.incrementAndGet();
        Thread.sleep(500);
        continue;
      }
      if (answer.status() == 202) {
        UUID id = UUID.fromString(answer.json().get("id").asString());
        accepted.add(id);
        return id;
      }
      if (answer.status() == 503) {
        unavailable.incrementAndGet();
        String retryAfter = answer.header("Retry-After");
        if (retryAfter != null) {
          unavailableWithRetryAfter.incrementAndGet();
        }
        Thread.sleep(retryAfter == null ? 1000 : Math.min(2000, Long.parseLong(retryAfter) * 1000));
        continue;
      }
      throw new AssertionError("submission answered " + answer.status() + ": " + answer.json());
    }
    throw new AssertionError("a submission was not accepted within 3 minutes");
  }

  void close() {
    clients.shutdownNow();
  }
}
