package io.retouch.common.model;

import io.retouch.common.edit.Background;
import io.retouch.common.edit.Complexity;
import io.retouch.common.edit.EditOptions;
import io.retouch.common.edit.EditSpec;
import io.retouch.common.edit.ImageQuality;
import io.retouch.common.edit.ImageSize;
import io.retouch.common.edit.InputFidelity;
import io.retouch.common.edit.OutputFormat;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one family of image models accepts, as the capability table ({@code image-models.json})
 * says: the rules a request is checked against before it is accepted, and that a worker checks
 * before it falls back to another model.
 */
public record ModelCapabilities(
    String family,
    List<String> models,
    Optional<LocalDate> shutdownDate,
    List<ImageSize> sizes,
    Optional<CustomSizes> customSizes,
    Set<ImageQuality> qualities,
    Set<OutputFormat> outputFormats,
    Set<OutputFormat> compressibleFormats,
    Set<Background> backgrounds,
    Set<OutputFormat> transparentFormats,
    Set<InputFidelity> inputFidelities,
    Set<Complexity> complexities,
    int maxN,
    int maxInputImages) {

  /** A rule the request breaks: the field at fault and why, naming the model. */
  public record Problem(String field, String message) {}

  /**
   * @param model the model's id, for the messages
   * @return the first rule {@code spec} breaks on this model, or empty when it may run here
   */
  public Optional<Problem> problem(String model, EditSpec spec, int inputImages) {
    if (inputImages > maxInputImages) {
      return fail(
          "input_images", "%s takes at most %d input images".formatted(model, maxInputImages));
    }
    if (spec.n() > maxN) {
      return fail("n", "%s makes at most %d images per request".formatted(model, maxN));
    }
    Optional<Problem> size = sizeProblem(model, spec.size());
    if (size.isPresent()) {
      return size;
    }
    if (!qualities.contains(spec.quality())) {
      return unsupported("quality", spec.quality().wireName(), model, list(qualities));
    }
    return optionsProblem(model, spec.options());
  }

  private Optional<Problem> sizeProblem(String model, ImageSize size) {
    if (sizes.contains(size)) {
      return Optional.empty();
    }
    String accepted = sizes.stream().map(ImageSize::wireName).collect(Collectors.joining(", "));
    if (size.isAuto() || customSizes.isEmpty()) {
      return fail(
          "size", "size %s is not accepted by %s, which takes %s".formatted(size, model, accepted));
    }
    return customSizes
        .get()
        .problem(size)
        .map(
            why ->
                new Problem(
                    "size", "size %s is not accepted by %s: %s".formatted(size, model, why)));
  }

  private Optional<Problem> optionsProblem(String model, EditOptions options) {
    OutputFormat format = options.effectiveFormat();
    if (options.outputFormat().isPresent() && !outputFormats.contains(format)) {
      return unsupported("output_format", format.wireName(), model, list(outputFormats));
    }
    if (options.outputCompression().isPresent() && !compressibleFormats.contains(format)) {
      return fail(
          "output_compression",
          "output_compression applies to output_format %s only, not %s"
              .formatted(list(compressibleFormats), format.wireName()));
    }
    if (options.background().isPresent()) {
      Background background = options.background().get();
      if (!backgrounds.contains(background)) {
        return unsupported("background", background.wireName(), model, list(backgrounds));
      }
      if (background == Background.TRANSPARENT && !transparentFormats.contains(format)) {
        return fail(
            "background",
            "a transparent background needs output_format %s, not %s"
                .formatted(list(transparentFormats), format.wireName()));
      }
    }
    if (options.inputFidelity().isPresent()
        && !inputFidelities.contains(options.inputFidelity().get())) {
      return unsupported(
          "input_fidelity", options.inputFidelity().get().wireName(), model, list(inputFidelities));
    }
    if (options.complexity().isPresent() && !complexities.contains(options.complexity().get())) {
      return unsupported(
          "complexity", options.complexity().get().wireName(), model, list(complexities));
    }
    return Optional.empty();
  }

  private static Optional<Problem> unsupported(
      String field, String value, String model, String accepted) {
    return fail(
        field,
        accepted.isEmpty()
            ? "%s is not supported by %s".formatted(field, model)
            : "%s %s is not supported by %s, which takes %s"
                .formatted(field, value, model, accepted));
  }

  private static Optional<Problem> fail(String field, String message) {
    return Optional.of(new Problem(field, message));
  }

  private static String list(Set<? extends Enum<?>> values) {
    return values.stream()
        .sorted(java.util.Comparator.comparingInt(Enum::ordinal))
        .map(v -> v.name().toLowerCase(java.util.Locale.ROOT))
        .collect(Collectors.joining(", "));
  }
}
