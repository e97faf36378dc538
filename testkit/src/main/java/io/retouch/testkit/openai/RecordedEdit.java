package io.retouch.testkit.openai;

import java.time.Instant;
import java.util.List;

/**
 * An edit request as the fake received it, whatever its outcome. Text fields are recorded as sent
 * (null when absent or when the body could not be parsed at all).
 *
 * @param model the {@code model} field
 * @param prompt the {@code prompt} field
 * @param n the {@code n} field: 1 when absent, 0 when it was not an integer
 * @param size the {@code size} field
 * @param quality the {@code quality} field
 * @param fields every text field as sent, in the order sent
 * @param images the image parts, in the order sent
 * @param at when the request arrived
 * @param status the HTTP status the fake answered with
 */
public record RecordedEdit(
    String model,
    String prompt,
    int n,
    String size,
    String quality,
    java.util.Map<String, String> fields,
    List<RecordedImage> images,
    Instant at,
    int status) {

  public RecordedEdit {
    fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    images = List.copyOf(images);
  }
}
