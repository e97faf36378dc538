package io.retouch.common.messaging;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON form of {@link JobMessage}; anything else is a {@link MalformedMessageException}. */
public final class JobMessageCodec {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private JobMessageCodec() {}

  public static byte[] encode(JobMessage message) {
    return JSON.writeValueAsBytes(message);
  }

  public static JobMessage decode(byte[] body) {
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JacksonException e) {
      throw new MalformedMessageException("not JSON: " + preview(body));
    }
    JsonNode id = node == null ? null : node.get("job_id");
    if (id == null || !id.isString()) {
      throw new MalformedMessageException("no job_id string in " + preview(body));
    }
    try {
      JsonNode attempt = node.get("attempt");
      return new JobMessage(
          UUID.fromString(id.asString()), attempt != null && attempt.isInt() ? attempt.asInt() : 0);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("job_id is not a UUID in " + preview(body));
    }
  }

  private static String preview(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    return body.length > 200 ? text + "…" : text;
  }

  /** A message no consumer can act on; it goes to the dead-letter queue. */
  public static final class MalformedMessageException extends RuntimeException {
    public MalformedMessageException(String message) {
      super(message);
    }
  }
}
