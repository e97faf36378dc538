package io.retouch.worker.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The worker's models on {@code /actuator/health} (and its readiness group): down, with the message
 * that names the setting, when the configured model is unknown or shut down; every model's standing
 * and shutdown date in the details, retiring ones included.
 */
public final class ModelsHealthIndicator implements HealthIndicator {

  private final ModelLifecycle lifecycle;

  public ModelsHealthIndicator(ModelLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public Health health() {
    Health.Builder health =
        lifecycle
            .readinessProblem()
            .map(p -> Health.down().withDetail("problem", p))
            .orElseGet(Health::up);
    var usable = lifecycle.usable();
    health.withDetail("running_on", usable.isEmpty() ? "none" : usable.getFirst());
    for (ModelLifecycle.ModelState state : lifecycle.states()) {
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("setting", state.setting());
      detail.put("status", state.status().name().toLowerCase(java.util.Locale.ROOT));
      state.shutdownDate().ifPresent(d -> detail.put("shutdown_date", d.toString()));
      detail.put("detail", state.detail());
      health.withDetail(state.model(), detail);
    }
    return health.build();
  }
}
