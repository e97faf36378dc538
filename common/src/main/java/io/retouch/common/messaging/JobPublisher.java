package io.retouch.common.messaging;

import java.util.List;

/** Puts job messages on the broker, returning only once the broker confirmed all of them. */
public interface JobPublisher {

  /**
   * @throws PublishFailedException when the broker is unreachable, nacks, or does not confirm in
   *     time; callers keep the messages and try again later
   */
  void publish(List<JobMessage> messages);

  final class PublishFailedException extends RuntimeException {
    public PublishFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
