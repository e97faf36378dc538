package io.retouch.common.event;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The closed set of job events, named on the wire {@code edit_image.<status>}: in webhooks, Server-
 * Sent Events and as routing keys of the {@code retouch.events} exchange.
 */
public enum EventType {
  /** The job was accepted and waits for a worker. */
  QUEUED("edit_image.queued"),
  /** An attempt started. */
  PROCESSING("edit_image.processing"),
  /** An attempt failed transiently (or its worker was lost); the next one is scheduled. */
  RETRYING("edit_image.retrying"),
  SUCCEEDED("edit_image.succeeded"),
  FAILED("edit_image.failed"),
  CANCELED("edit_image.canceled");

  /** What a per-job webhook receives unless the request says otherwise. */
  public static final Set<EventType> TERMINAL = EnumSet.of(SUCCEEDED, FAILED, CANCELED);

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public boolean isTerminal() {
    return TERMINAL.contains(this);
  }

  public static Optional<EventType> fromWireName(String value) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(value)).findFirst();
  }
}
