package io.retouch.common.messaging;

import java.util.List;
import java.util.Optional;

/** Puts job messages on the broker, returning only once the broker confirmed all of them. */
public interface JobPublisher {

  /**
   * @throws PublishFailedException when the broker is unreachable, nacks, or does not confirm in
   *     time; callers keep the messages and try again later
   */
  void publishAll(List<Outgoing> messages);

  /** {@link #publishAll} for messages outside any trace. */
  default void publish(List<JobMessage> messages) {
    publishAll(messages.stream().map(m -> new Outgoing(m, Optional.empty())).toList());
  }

  /**
   * A message and the trace it continues.
   *
   * @param traceParent the W3C {@code traceparent} of the request that submitted the job, sent as
   *     the message's {@code traceparent} header
   */
  record Outgoing(JobMessage message, Optional<String> traceParent) {}

  final class PublishFailedException extends RuntimeException {
    public PublishFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
