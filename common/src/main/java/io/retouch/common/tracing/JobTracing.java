package io.retouch.common.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Ties spans to jobs. A job's trace starts with the request that submitted it; the job row keeps
 * that request's W3C {@code traceparent} so the outbox relay, which publishes later on another
 * thread, can hand it to RabbitMQ in the message headers, where the worker's listener continues it.
 * Every attempt of the job, retries included, joins the one trace.
 */
public final class JobTracing {

  /** The W3C Trace Context header, also used as the AMQP message header. */
  public static final String TRACE_PARENT = "traceparent";

  /** The span attribute naming the job. */
  public static final String JOB_ID = "job.id";

  /** Without tracing (tests, tools): tags nothing, propagates nothing. */
  public static final JobTracing NONE = new JobTracing(Tracer.NOOP, Propagator.NOOP);

  private final Tracer tracer;
  private final Propagator propagator;

  public JobTracing(Tracer tracer, Propagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  /** Marks the current span as working on {@code jobId}. */
  public void tag(UUID jobId) {
    Span span = tracer.currentSpan();
    if (span != null) {
      span.tag(JOB_ID, jobId.toString());
    }
  }

  /**
   * Marks the current span as the one that created {@code jobId} and returns its {@code
   * traceparent}, for the job row; empty when no span is current.
   */
  public Optional<String> startedHere(UUID jobId) {
    tag(jobId);
    TraceContext context = tracer.currentTraceContext().context();
    if (context == null) {
      return Optional.empty();
    }
    Map<String, String> carrier = new HashMap<>();
    propagator.inject(context, carrier, Map::put);
    return Optional.ofNullable(carrier.get(TRACE_PARENT));
  }
}
