package io.retouch.common.model;

import io.retouch.common.edit.Background;
import io.retouch.common.edit.Complexity;
import io.retouch.common.edit.ImageQuality;
import io.retouch.common.edit.ImageSize;
import io.retouch.common.edit.InputFidelity;
import io.retouch.common.edit.OutputFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The capability table: what each family of OpenAI image models accepts and when it shuts down, as
 * of the date and from the sources {@code image-models.json} names. Models change every few months;
 * this file is where that shows, not the code.
 */
public final class ImageModels {

  private static final String RESOURCE = "image-models.json";
  private static final Pattern SNAPSHOT = Pattern.compile("-\\d{4}-\\d{2}-\\d{2}$");
  private static final ImageModels TABLE = load();

  private final LocalDate asOf;
  private final List<ModelCapabilities> families;

  private ImageModels(LocalDate asOf, List<ModelCapabilities> families) {
    this.asOf = asOf;
    this.families = families;
  }

  public static ImageModels table() {
    return TABLE;
  }

  /** The day the table was last checked against OpenAI's pages. */
  public LocalDate asOf() {
    return asOf;
  }

  public List<ModelCapabilities> families() {
    return families;
  }

  /**
   * What {@code model} accepts: a model of the table, or a dated snapshot of one ({@code
   * gpt-image-2-2026-04-21}). Empty for a model the table does not know.
   */
  public Optional<ModelCapabilities> of(String model) {
    String base = SNAPSHOT.matcher(model).replaceFirst("");
    return families.stream()
        .filter(f -> f.models().contains(model) || f.models().contains(base))
        .findFirst();
  }

  /** The table's rows as written; snake_case like the file. */
  record Row(
      String family,
      List<String> models,
      LocalDate shutdownDate,
      List<String> sizes,
      CustomSizes customSizes,
      List<String> qualities,
      List<String> outputFormats,
      List<String> compressibleFormats,
      List<String> backgrounds,
      List<String> transparentFormats,
      List<String> inputFidelities,
      List<String> complexities,
      int maxN,
      int maxInputImages) {}

  record File(LocalDate asOf, List<String> sources, String notes, List<Row> families) {}

  private static ImageModels load() {
    JsonMapper json =
        JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
    try (InputStream in = ImageModels.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing " + RESOURCE);
      }
      File file = json.readValue(in, File.class);
      return new ImageModels(
          file.asOf(), file.families().stream().map(ImageModels::typed).toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ModelCapabilities typed(Row row) {
    return new ModelCapabilities(
        row.family(),
        List.copyOf(row.models()),
        Optional.ofNullable(row.shutdownDate()),
        row.sizes().stream().map(s -> parse(ImageSize::fromWireName, s, row)).toList(),
        Optional.ofNullable(row.customSizes()),
        set(row.qualities(), ImageQuality::fromWireName, row),
        set(row.outputFormats(), OutputFormat::fromWireName, row),
        set(row.compressibleFormats(), OutputFormat::fromWireName, row),
        set(row.backgrounds(), Background::fromWireName, row),
        set(row.transparentFormats(), OutputFormat::fromWireName, row),
        set(row.inputFidelities(), InputFidelity::fromWireName, row),
        set(row.complexities(), Complexity::fromWireName, row),
        row.maxN(),
        row.maxInputImages());
  }

  private static <T> Set<T> set(List<String> values, Function<String, Optional<T>> parse, Row row) {
    return values.stream().map(v -> parse(parse, v, row)).collect(Collectors.toUnmodifiableSet());
  }

  private static <T> T parse(Function<String, Optional<T>> parse, String value, Row row) {
    return parse
        .apply(value)
        .orElseThrow(
            () -> new IllegalStateException(RESOURCE + ": " + row.family() + " has " + value));
  }
}
