package io.retouch.testkit.openai;

import io.retouch.common.model.ImageModels;
import io.retouch.common.model.ModelCapabilities;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The image models the fake knows, with their shutdown dates, as OpenAI listed them on the
 * capability table's date ({@code image-models.json} in common): a model is served until its
 * shutdown date and gone from that day on, as OpenAI's lifecycle states say.
 *
 * @param models id → shutdown date, when one is announced
 */
record FakeModels(Map<String, Optional<LocalDate>> models) {

  /** The dated snapshots OpenAI lists next to the models of the table. */
  private static final Map<String, String> SNAPSHOTS =
      Map.of(
          "gpt-image-2-2026-04-21", "gpt-image-2",
          "gpt-image-2.5-sunburst-2026-09-08", "gpt-image-2.5-sunburst",
          "gpt-image-2.5-flare-2026-09-08", "gpt-image-2.5-flare",
          "gpt-image-1.5-2025-12-16", "gpt-image-1.5");

  FakeModels {
    models = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(models));
  }

  /** Every model of the capability table and its snapshots, with the table's shutdown dates. */
  static FakeModels ofTheTable() {
    Map<String, Optional<LocalDate>> models = new LinkedHashMap<>();
    for (ModelCapabilities family : ImageModels.table().families()) {
      for (String model : family.models()) {
        models.put(model, family.shutdownDate());
      }
    }
    SNAPSHOTS.forEach((snapshot, model) -> models.put(snapshot, models.get(model)));
    return new FakeModels(models);
  }

  /** The given models, none with a shutdown date. */
  static FakeModels of(java.util.Collection<String> ids) {
    Map<String, Optional<LocalDate>> models = new LinkedHashMap<>();
    ids.forEach(id -> models.put(id, Optional.empty()));
    return new FakeModels(models);
  }

  /** The models served on {@code today}: known, and not past their shutdown date. */
  List<String> served(LocalDate today) {
    return models.entrySet().stream()
        .filter(e -> e.getValue().map(today::isBefore).orElse(true))
        .map(Map.Entry::getKey)
        .toList();
  }

  boolean serves(String model, LocalDate today) {
    return models.containsKey(model) && models.get(model).map(today::isBefore).orElse(true);
  }

  Optional<LocalDate> shutdownDate(String model) {
    return models.getOrDefault(model, Optional.empty());
  }

  /**
   * What the model accepts: the table's family of the model, or (for a made-up model a test names)
   * the newest family's.
   */
  static ModelCapabilities capabilities(String model) {
    return ImageModels.table().of(model).orElse(ImageModels.table().families().getFirst());
  }
}
