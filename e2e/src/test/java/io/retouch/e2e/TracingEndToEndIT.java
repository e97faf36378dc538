package io.retouch.e2e;

import static io.retouch.e2e.TestImages.inline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.retouch.testkit.otlp.OtlpCollector.Span;
import java.awt.Color;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One trace follows a job: the API's request span, the worker's span for the RabbitMQ message (the
 * relay sent the request's traceparent with it), the attempt, the model call and the S3 upload, all
 * carrying the job id, exported over OTLP to a collector in the test.
 */
class TracingEndToEndIT {

  /** The trace the client's own {@code traceparent} header starts. */
  private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void the_workers_spans_continue_the_trace_of_the_request_that_submitted_the_job() {
    Stack stack = Stack.get();
    var accepted =
        stack.api.submit(
            "{\"input_images\":[%s],\"prompt\":\"trace me\"}"
                .formatted(inline("in.png", TestImages.png(16, 16, Color.RED))),
            "Prefer",
            "respond-async",
            "traceparent",
            "00-" + CLIENT_TRACE + "-00f067aa0ba902b7-01");
    String job = accepted.json().get("id").asString();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> stack.api.job(job).json().get("status").asString().equals("succeeded"));

    Span request =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> span(stack, job, "retouch-api", s -> s.name().startsWith("http post")),
                Optional::isPresent)
            .orElseThrow();
    Span upload =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> span(stack, job, "retouch-worker", s -> s.name().equals("s3 put output")),
                Optional::isPresent)
            .orElseThrow();

    assertThat(request.traceId()).as("the client's trace is continued").isEqualTo(CLIENT_TRACE);
    List<Span> trace =
        stack.traces.spans().stream().filter(s -> s.traceId().equals(request.traceId())).toList();
    assertThat(upload.traceId())
        .as("the worker's span has the API's trace id")
        .isEqualTo(request.traceId());
    assertThat(trace)
        .filteredOn(s -> s.service().equals("retouch-worker"))
        .extracting(Span::name)
        .contains("attempt 1", "load inputs", "s3 put output")
        .anyMatch(name -> name.startsWith("openai image edit"))
        .anyMatch(name -> name.contains("receive"));
    assertThat(chainToRoot(upload, trace))
        .as("the upload's ancestors reach the request's span through the message")
        .contains(request.spanId());
    assertThat(stack.worker().logContains(request.traceId()))
        .as("the worker's log lines carry the trace id")
        .isTrue();
  }

  private static Optional<Span> span(
      Stack stack, String job, String service, java.util.function.Predicate<Span> which) {
    return stack.traces.spans().stream()
        .filter(s -> s.service().equals(service))
        .filter(s -> job.equals(s.attributes().get("job.id")))
        .filter(which)
        .findFirst();
  }

  private static List<String> chainToRoot(Span from, List<Span> trace) {
    Map<String, Span> byId =
        trace.stream().collect(Collectors.toMap(Span::spanId, Function.identity(), (a, b) -> a));
    List<String> chain = new java.util.ArrayList<>();
    Span at = from;
    while (at != null && !at.parentSpanId().isEmpty() && chain.size() < 20) {
      chain.add(at.parentSpanId());
      at = byId.get(at.parentSpanId());
    }
    return chain;
  }
}
