package io.retouch.common.edit;

import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link EditOptions} as the JSON object jobs store them in: the request's own field names, and
 * only the fields that were set ({@code {}} for a seed-only request).
 */
public final class EditOptionsCodec {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private EditOptionsCodec() {}

  public static String toJson(EditOptions options) {
    ObjectNode node = JSON.createObjectNode();
    options.outputFormat().ifPresent(v -> node.put("output_format", v.wireName()));
    options.outputCompression().ifPresent(v -> node.put("output_compression", v));
    options.background().ifPresent(v -> node.put("background", v.wireName()));
    options.inputFidelity().ifPresent(v -> node.put("input_fidelity", v.wireName()));
    options.complexity().ifPresent(v -> node.put("complexity", v.wireName()));
    return JSON.writeValueAsString(node);
  }

  /** Values this version does not know are dropped, so an older worker can still read the job. */
  public static EditOptions fromJson(String json) {
    if (json == null || json.isBlank()) {
      return EditOptions.NONE;
    }
    JsonNode node = JSON.readTree(json);
    JsonNode compression = node.get("output_compression");
    return new EditOptions(
        text(node, "output_format", OutputFormat::fromWireName),
        compression != null && compression.isInt()
            ? Optional.of(compression.intValue())
            : Optional.empty(),
        text(node, "background", Background::fromWireName),
        text(node, "input_fidelity", InputFidelity::fromWireName),
        text(node, "complexity", Complexity::fromWireName));
  }

  private static <T> Optional<T> text(
      JsonNode node, String field, Function<String, Optional<T>> parse) {
    JsonNode value = node.get(field);
    return value == null || !value.isString() ? Optional.empty() : parse.apply(value.asString());
  }
}
