package io.retouch.worker.model;

import java.time.LocalDate;
import java.util.Optional;

/** The provider's list of models, asked one model at a time ({@code GET /v1/models/{id}}). */
@FunctionalInterface
public interface ModelCatalog {

  Lookup lookup(String model);

  /** What the provider said about a model. */
  sealed interface Lookup {

    /** The model exists; {@code shutdownDate} when its retirement is announced. */
    record Listed(Optional<LocalDate> shutdownDate) implements Lookup {}

    /** The provider does not know the model (for this key). */
    record NotFound(String message) implements Lookup {}

    /** No answer: the provider is unreachable, failed, or has no models endpoint. */
    record Unanswered(String why) implements Lookup {}
  }
}
