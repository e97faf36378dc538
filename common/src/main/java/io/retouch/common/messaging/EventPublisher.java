package io.retouch.common.messaging;

import java.util.List;

/** Publishes events to the events exchange; returns once the broker confirmed all of them. */
public interface EventPublisher {

  /**
   * One event message.
   *
   * @param id the event id, the message id
   * @param type the event type, the routing key
   * @param body the event's JSON
   */
  record Message(long id, String type, byte[] body) {}

  void publish(List<Message> messages);
}
