package io.retouch.testkit.openai;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of an edit request as sent, before any validation: text fields by name (the last one
 * wins) and the image parts in order. The mask is accepted and dropped.
 */
record EditForm(Map<String, String> fields, List<UploadedImage> images) {

  static final EditForm EMPTY = new EditForm(Map.of(), List.of());

  EditForm {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    images = List.copyOf(images);
  }

  static EditForm from(List<MultipartPart> parts) {
    Map<String, String> fields = new LinkedHashMap<>();
    List<UploadedImage> images = new ArrayList<>();
    for (MultipartPart part : parts) {
      switch (part.name()) {
        case "image", "image[]" -> images.add(UploadedImage.of(part));
        case "mask" -> {}
        default -> fields.put(part.name(), new String(part.content(), StandardCharsets.UTF_8));
      }
    }
    return new EditForm(fields, images);
  }

  String field(String name) {
    return fields.get(name);
  }

  RecordedEdit toRecord(Instant at, int status) {
    return new RecordedEdit(
        field("model"),
        field("prompt"),
        requestedN(),
        field("size"),
        field("quality"),
        images.stream().map(UploadedImage::toRecord).toList(),
        at,
        status);
  }

  private int requestedN() {
    String n = field("n");
    if (n == null) {
      return 1;
    }
    try {
      return Integer.parseInt(n.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
