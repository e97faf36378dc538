package io.retouch.testkit.openai;

import java.io.IOException;
import java.io.InputStream;
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

  /** A text field longer than this is no edit request; OpenAI's prompt limit is 32,000 chars. */
  static final int MAX_FIELD_BYTES = 1024 * 1024;

  EditForm {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    images = List.copyOf(images);
  }

  /** Reads a multipart body as it arrives; only the fields and the images' digests are kept. */
  static EditForm read(InputStream body, String boundary) throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    List<UploadedImage> images = new ArrayList<>();
    MultipartParser.parse(
        body,
        boundary,
        (part, content) -> {
          switch (part.name()) {
            case "image", "image[]" ->
                images.add(UploadedImage.read(part, content, images.isEmpty()));
            case "mask" -> {}
            default -> fields.put(part.name(), text(part.name(), content));
          }
        });
    return new EditForm(fields, images);
  }

  private static String text(String name, InputStream content) throws IOException {
    byte[] bytes = content.readNBytes(MAX_FIELD_BYTES + 1);
    if (bytes.length > MAX_FIELD_BYTES) {
      throw new MalformedMultipartException(
          "the field '" + name + "' is longer than " + MAX_FIELD_BYTES + " bytes");
    }
    return new String(bytes, StandardCharsets.UTF_8);
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
        fields,
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
