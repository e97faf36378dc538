package io.retouch.testkit.openai;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an {@link EditForm} the way OpenAI's {@code /v1/images/edits} does and resolves its
 * defaults, failing with OpenAI's own error messages and codes.
 */
final class EditValidator {

  static final int MAX_IMAGES = 16;
  static final int MAX_PROMPT_CHARS = 32_000;
  static final int MAX_N = 10;

  /** Fields OpenAI accepts on this endpoint; anything else is an {@code unknown_parameter}. */
  private static final Set<String> KNOWN_FIELDS =
      Set.of(
          "model",
          "prompt",
          "n",
          "size",
          "quality",
          "output_format",
          "output_compression",
          "background",
          "input_fidelity",
          "response_format",
          "partial_images",
          "stream",
          "user",
          "safety_identifier");

  private static final List<String> SIZES = List.of("1024x1024", "1536x1024", "1024x1536", "auto");
  private static final List<String> QUALITIES = List.of("low", "medium", "high", "auto");
  private static final List<String> OUTPUT_FORMATS = List.of("png", "jpeg", "webp");
  private static final List<String> BACKGROUNDS = List.of("transparent", "opaque", "auto");
  private static final List<String> INPUT_FIDELITIES = List.of("high", "low");

  private EditValidator() {}

  /**
   * Returns the resolved request.
   *
   * @throws RequestRejected with the status and error OpenAI would answer
   */
  static EditRequest validate(EditForm form, Set<String> knownModels) {
    for (String name : form.fields().keySet()) {
      if (!KNOWN_FIELDS.contains(name)) {
        throw RequestRejected.badRequest(
            "Unknown parameter: '" + name + "'.", name, "unknown_parameter");
      }
    }
    checkImages(form.images());

    String model = form.field("model");
    if (model == null) {
      throw missing("model");
    }
    if (!knownModels.contains(model)) {
      throw new RequestRejected(
          404,
          OpenAiError.invalidRequest(
              "The model `" + model + "` does not exist or you do not have access to it.",
              null,
              "model_not_found"));
    }

    String prompt = checkPrompt(form.field("prompt"));
    int n = checkN(form.field("n"));
    String size = oneOf("size", form.field("size"), SIZES, "auto");
    String quality = oneOf("quality", form.field("quality"), QUALITIES, "auto");
    checkOutputFormat(form.field("output_format"));
    oneOf("background", form.field("background"), BACKGROUNDS, "auto");
    oneOf("input_fidelity", form.field("input_fidelity"), INPUT_FIDELITIES, "low");
    checkOnlySupported("response_format", form.field("response_format"), "b64_json");
    checkOnlySupported("stream", form.field("stream"), "false");

    return new EditRequest(model, prompt, n, sizeOf(size), resolveQuality(quality), form.images());
  }

  private static void checkImages(List<UploadedImage> images) {
    if (images.isEmpty()) {
      throw missing("image");
    }
    if (images.size() > MAX_IMAGES) {
      throw RequestRejected.badRequest(
          "Invalid 'image': array too long. Expected an array with maximum length "
              + MAX_IMAGES
              + ", but got an array with length "
              + images.size()
              + " instead.",
          "image",
          "array_above_max_length");
    }
    for (UploadedImage image : images) {
      Optional<ImageFormat> format = ImageFormat.forContentType(image.contentType());
      if (format.isEmpty()) {
        throw RequestRejected.badRequest(
            "Invalid file 'image': unsupported mimetype ('"
                + ImageFormat.mediaType(image.contentType())
                + "'). Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'.",
            "image",
            "unsupported_file_mimetype");
      }
      if (!format.get().matches(image.head())) {
        throw RequestRejected.badRequest(
            "Invalid image file: the file content is not a valid "
                + format.get().mimeType()
                + " image. Supported file formats are 'image/jpeg', 'image/png', and"
                + " 'image/webp'.",
            "image",
            "invalid_image_file");
      }
    }
  }

  private static String checkPrompt(String prompt) {
    if (prompt == null) {
      throw missing("prompt");
    }
    if (prompt.isEmpty()) {
      throw RequestRejected.badRequest(
          "Invalid 'prompt': empty string. Expected a string with minimum length 1, but got an"
              + " empty string instead.",
          "prompt",
          "empty_string");
    }
    int length = prompt.codePointCount(0, prompt.length());
    if (length > MAX_PROMPT_CHARS) {
      throw RequestRejected.badRequest(
          "Invalid 'prompt': string too long. Expected a string with maximum length "
              + MAX_PROMPT_CHARS
              + ", but got a string with length "
              + length
              + " instead.",
          "prompt",
          "string_above_max_length");
    }
    return prompt;
  }

  private static int checkN(String raw) {
    if (raw == null) {
      return 1;
    }
    int n;
    try {
      n = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw RequestRejected.badRequest(
          "Invalid type for 'n': expected an integer, but got a string instead.",
          "n",
          "invalid_type");
    }
    if (n < 1) {
      throw RequestRejected.badRequest(
          "Invalid 'n': integer below minimum value. Expected a value >= 1, but got "
              + n
              + " instead.",
          "n",
          "integer_below_min_value");
    }
    if (n > MAX_N) {
      throw RequestRejected.badRequest(
          "Invalid 'n': integer above maximum value. Expected a value <= "
              + MAX_N
              + ", but got "
              + n
              + " instead.",
          "n",
          "integer_above_max_value");
    }
    return n;
  }

  private static void checkOutputFormat(String raw) {
    String format = oneOf("output_format", raw, OUTPUT_FORMATS, "png");
    // jpeg and webp are valid for OpenAI, but this fake only renders PNG; say so plainly.
    checkOnlySupported("output_format", format, "png");
  }

  private static void checkOnlySupported(String param, String raw, String supported) {
    if (raw != null && !raw.equals(supported)) {
      throw RequestRejected.badRequest(
          "Invalid value: '"
              + raw
              + "'. The fake OpenAI only supports '"
              + supported
              + "' for '"
              + param
              + "'.",
          param,
          "invalid_value");
    }
  }

  private static String oneOf(String param, String raw, List<String> allowed, String fallback) {
    if (raw == null) {
      return fallback;
    }
    if (!allowed.contains(raw)) {
      throw RequestRejected.badRequest(
          "Invalid value: '" + raw + "'. Supported values are: " + humanList(allowed) + ".",
          param,
          "invalid_value");
    }
    return raw;
  }

  private static String humanList(List<String> values) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(i == values.size() - 1 ? ", and " : ", ");
      }
      out.append('\'').append(values.get(i)).append('\'');
    }
    return out.toString();
  }

  private static ImageSize sizeOf(String size) {
    return switch (size) {
      case "1536x1024" -> new ImageSize(1536, 1024);
      case "1024x1536" -> new ImageSize(1024, 1536);
      default -> ImageSize.SQUARE;
    };
  }

  /** OpenAI reports the quality it actually used; for {@code auto} the fake says high. */
  private static String resolveQuality(String quality) {
    return quality.equals("auto") ? "high" : quality;
  }

  private static RequestRejected missing(String param) {
    return RequestRejected.badRequest(
        "Missing required parameter: '" + param + "'.", param, "missing_required_parameter");
  }
}
