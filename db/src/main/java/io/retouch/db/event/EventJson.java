package io.retouch.db.event;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bytes of an event, the same for webhooks (where they are signed as sent), Server-Sent Events
 * and the events exchange: snake_case like the API, RFC 3339 times.
 */
public final class EventJson {

  private static final JsonMapper JSON =
      JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

  private EventJson() {}

  public static byte[] bytes(EventView event) {
    return JSON.writeValueAsBytes(event);
  }

  public static String text(EventView event) {
    return JSON.writeValueAsString(event);
  }
}
