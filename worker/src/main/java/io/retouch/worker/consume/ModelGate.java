package io.retouch.worker.consume;

import io.retouch.worker.model.ModelLifecycle;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Takes no job messages while no model is usable, and takes them again once one is: the jobs wait
 * in the queue (and for another worker) instead of failing one after the other with {@code
 * model_not_found}.
 */
public final class ModelGate implements ApplicationListener<ContextClosedEvent> {

  private static final Logger log = LoggerFactory.getLogger(ModelGate.class);

  private final AbstractMessageListenerContainer container;
  private volatile boolean closing;

  public ModelGate(AbstractMessageListenerContainer container, ModelLifecycle models) {
    this.container = container;
    container.setAutoStartup(!models.usable().isEmpty());
    if (models.usable().isEmpty()) {
      log.error(
          "no model is usable: this worker takes no jobs ({})",
          models.readinessProblem().orElse(""));
    }
    models.onUsableChange(this::usableChanged);
  }

  private void usableChanged(List<String> usable) {
    if (closing) {
      return;
    }
    if (usable.isEmpty() && container.isRunning()) {
      log.error("no model is usable any more: this worker stops taking jobs");
      container.stop();
    } else if (!usable.isEmpty() && !container.isRunning()) {
      log.info("model {} is usable: this worker takes jobs again", usable.getFirst());
      container.start();
    }
  }

  @Override
  public void onApplicationEvent(ContextClosedEvent event) {
    closing = true;
  }
}
