package io.retouch.worker.model;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.retouch.worker.model.ModelLifecycle.ModelState;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.function.ToDoubleFunction;

/**
 * Each configured model's standing as gauges, so a dashboard sees a retirement coming before the
 * readiness probe does: {@code retouch.openai.model.usable{model}} (1 or 0) and {@code
 * retouch.openai.model.shutdown.days{model}}, days until its announced shutdown date (NaN when none
 * is announced; negative once past).
 */
public final class ModelMetrics {

  private ModelMetrics() {}

  public static void register(ModelLifecycle lifecycle, Clock clock, MeterRegistry registry) {
    for (ModelState configured : lifecycle.states()) {
      String model = configured.model();
      gauge(
          registry,
          "retouch.openai.model.usable",
          "Whether the worker uses this configured model (1) or not (0)",
          model,
          lifecycle,
          state -> state.status().usable() ? 1 : 0);
      gauge(
          registry,
          "retouch.openai.model.shutdown.days",
          "Days until the model's announced shutdown date",
          model,
          lifecycle,
          state ->
              state
                  .shutdownDate()
                  .map(date -> (double) ChronoUnit.DAYS.between(LocalDate.now(clock), date))
                  .orElse(Double.NaN));
    }
  }

  private static void gauge(
      MeterRegistry registry,
      String name,
      String description,
      String model,
      ModelLifecycle lifecycle,
      ToDoubleFunction<ModelState> value) {
    Gauge.builder(
            name,
            lifecycle,
            l ->
                l.states().stream()
                    .filter(s -> s.model().equals(model))
                    .findFirst()
                    .map(value::applyAsDouble)
                    .orElse(Double.NaN))
        .description(description)
        .tag("model", model)
        .register(registry);
  }
}
