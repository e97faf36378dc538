package io.retouch.testkit.openai;

import io.retouch.common.model.ModelCapabilities;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
          "complexity",
          "response_format",
          "partial_images",
          "stream",
          "user",
          "safety_identifier");

  private static final List<String> QUALITIES =
      List.of("low", "medium", "high", "xhigh", "max", "auto", "standard");
  private static final List<String> OUTPUT_FORMATS = List.of("png", "jpeg", "webp");
  private static final List<String> BACKGROUNDS = List.of("transparent", "opaque", "auto");
  private static final List<String> INPUT_FIDELITIES = List.of("high", "low");
  private static final List<String> COMPLEXITIES = List.of("low", "medium", "high");
  private static final Pattern DIMENSIONS = Pattern.compile("([1-9][0-9]{0,4})x([1-9][0-9]{0,4})");

  private EditValidator() {}

  /**
   * Returns the resolved request.
   *
   * @throws RequestRejected with the status and error OpenAI would answer
   */
  static EditRequest validate(EditForm form, FakeModels models, LocalDate today) {
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
    if (!models.serves(model, today)) {
      throw modelNotFound(model, models.shutdownDate(model).isPresent());
    }
    ModelCapabilities caps = FakeModels.capabilities(model);

    String prompt = checkPrompt(form.field("prompt"));
    int n = checkN(form.field("n"));
    ImageSize size = checkSize(form.field("size"), caps);
    String quality = oneOf("quality", form.field("quality"), QUALITIES, "auto");
    if (!quality.equals("auto") && !names(caps.qualities()).contains(quality)) {
      throw RequestRejected.badRequest(
          "Invalid value: '"
              + quality
              + "'. Supported values are: "
              + humanList(names(caps.qualities()))
              + ".",
          "quality",
          "invalid_value");
    }
    String format = oneOf("output_format", form.field("output_format"), OUTPUT_FORMATS, "png");
    int compression = checkCompression(form.field("output_compression"), format);
    String background = checkBackground(form.field("background"), format, caps);
    String fidelity = oneOf("input_fidelity", form.field("input_fidelity"), INPUT_FIDELITIES, null);
    if (fidelity != null && !names(caps.inputFidelities()).contains(fidelity)) {
      throw unsupportedParameter(model, "input_fidelity", caps.inputFidelities().isEmpty());
    }
    String complexity = oneOf("complexity", form.field("complexity"), COMPLEXITIES, null);
    if (complexity != null && !names(caps.complexities()).contains(complexity)) {
      throw unsupportedParameter(model, "complexity", caps.complexities().isEmpty());
    }
    checkOnlySupported("response_format", form.field("response_format"), "b64_json");
    checkOnlySupported("stream", form.field("stream"), "false");

    return new EditRequest(
        model,
        prompt,
        n,
        size,
        resolveQuality(quality),
        format,
        compression,
        background,
        form.images());
  }

  /**
   * OpenAI's answer for a model it does not serve: the retired ones get the deprecation wording it
   * has always used for them, both with {@code model_not_found}.
   */
  static RequestRejected modelNotFound(String model, boolean retired) {
    String message =
        retired
            ? "The model `"
                + model
                + "` has been deprecated, learn more here:"
                + " https://platform.openai.com/docs/deprecations"
            : "The model `" + model + "` does not exist or you do not have access to it.";
    return new RequestRejected(404, OpenAiError.invalidRequest(message, null, "model_not_found"));
  }

  private static ImageSize checkSize(String raw, ModelCapabilities caps) {
    if (raw == null || raw.equals("auto")) {
      return ImageSize.SQUARE;
    }
    Matcher m = DIMENSIONS.matcher(raw);
    if (!m.matches()) {
      throw RequestRejected.badRequest(
          "Invalid size '" + raw + "'. Expected WIDTHxHEIGHT, for example '1824x1024'.",
          "size",
          "invalid_value");
    }
    ImageSize size = new ImageSize(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    var standard = io.retouch.common.edit.ImageSize.fromWireName(raw).orElseThrow();
    if (caps.sizes().contains(standard)) {
      return size;
    }
    if (caps.customSizes().isEmpty()) {
      throw RequestRejected.badRequest(
          "Invalid value: '"
              + raw
              + "'. Supported values are: "
              + humanList(
                  caps.sizes().stream().map(io.retouch.common.edit.ImageSize::wireName).toList())
              + ".",
          "size",
          "invalid_value");
    }
    caps.customSizes()
        .get()
        .problem(standard)
        .ifPresent(
            why -> {
              throw RequestRejected.badRequest(
                  "Invalid size '"
                      + raw
                      + "'. "
                      + Character.toUpperCase(why.charAt(0))
                      + why.substring(1)
                      + ".",
                  "size",
                  "invalid_value");
            });
    return size;
  }

  private static int checkCompression(String raw, String format) {
    if (raw == null) {
      return 100;
    }
    int compression;
    try {
      compression = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw RequestRejected.badRequest(
          "Invalid type for 'output_compression': expected an integer, but got a string instead.",
          "output_compression",
          "invalid_type");
    }
    if (compression < 0 || compression > 100) {
      throw RequestRejected.badRequest(
          "Invalid 'output_compression': expected a value between 0 and 100, but got "
              + compression
              + " instead.",
          "output_compression",
          "invalid_value");
    }
    if (format.equals("png")) {
      throw RequestRejected.badRequest(
          "output_compression is only supported for the jpeg and webp output formats.",
          "output_compression",
          "invalid_value");
    }
    return compression;
  }

  private static String checkBackground(String raw, String format, ModelCapabilities caps) {
    String background = oneOf("background", raw, BACKGROUNDS, "auto");
    if (background.equals("transparent")) {
      if (!names(caps.backgrounds()).contains("transparent")) {
        throw RequestRejected.badRequest(
            "Transparent background is not supported for this model.",
            "background",
            "invalid_value");
      }
      if (format.equals("jpeg")) {
        throw RequestRejected.badRequest(
            "Transparent background requires output_format 'png' or 'webp'.",
            "background",
            "invalid_value");
      }
      return "transparent";
    }
    return "opaque";
  }

  /** As OpenAI answered {@code input_fidelity} on gpt-image-2 (the same shape for the others). */
  private static RequestRejected unsupportedParameter(
      String model, String param, boolean entirely) {
    String message =
        entirely
            ? "The model '" + model + "' does not support the '" + param + "' parameter."
            : "The value given for '" + param + "' is not supported by the model '" + model + "'.";
    return new RequestRejected(
        400,
        new OpenAiError(
            message, "image_generation_user_error", param, "invalid_" + param + "_model"));
  }

  private static List<String> names(java.util.Collection<? extends Enum<?>> values) {
    return values.stream()
        .sorted(java.util.Comparator.comparingInt(Enum::ordinal))
        .map(v -> v.name().toLowerCase(java.util.Locale.ROOT))
        .toList();
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

  /** {@code raw} when it is one of {@code allowed}, {@code fallback} when absent. */
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

  /** OpenAI reports the quality it actually used; for {@code auto} the fake says high. */
  private static String resolveQuality(String quality) {
    return quality.equals("auto") ? "high" : quality;
  }

  private static RequestRejected missing(String param) {
    return RequestRejected.badRequest(
        "Missing required parameter: '" + param + "'.", param, "missing_required_parameter");
  }
}
