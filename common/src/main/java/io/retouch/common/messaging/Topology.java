package io.retouch.common.messaging;

import java.util.List;

/**
 * RabbitMQ names, all derived from one prefix ({@code retouch.amqp.prefix}, default {@code
 * retouch}) so that test runs and side-by-side installations never share a queue.
 */
public record Topology(String prefix) {

  public static final String EDIT_ROUTING_KEY = "edit";

  public Topology {
    if (prefix == null || prefix.isBlank()) {
      throw new IllegalArgumentException("the AMQP prefix must not be blank");
    }
  }

  /** Direct exchange the job messages are published to. */
  public String jobsExchange() {
    return prefix + ".jobs";
  }

  /** Quorum queue the workers consume. */
  public String editQueue() {
    return prefix + ".jobs.edit";
  }

  /** Fanout exchange that poison messages are dead-lettered to. */
  public String deadLetterExchange() {
    return prefix + ".jobs.dlx";
  }

  /** Where dead-lettered messages are parked for operators to inspect. */
  public String deadQueue() {
    return prefix + ".jobs.dead";
  }

  /** A second copy of every dead-lettered message, consumed by workers to fail its job. */
  public String poisonedQueue() {
    return prefix + ".jobs.poisoned";
  }

  /** Every queue this topology declares. */
  public List<String> queues() {
    return List.of(editQueue(), deadQueue(), poisonedQueue());
  }

  /** Every exchange this topology declares. */
  public List<String> exchanges() {
    return List.of(jobsExchange(), deadLetterExchange(), eventsExchange());
  }

  /** Topic exchange of job events, routed by event type ({@code edit_image.succeeded}, …). */
  public String eventsExchange() {
    return prefix + ".events";
  }
}
