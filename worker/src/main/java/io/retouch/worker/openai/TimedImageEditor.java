package io.retouch.worker.openai;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.retouch.common.edit.EditSpec;
import io.retouch.common.job.PermanentFailure;
import io.retouch.common.job.TransientFailure;
import java.util.List;

/**
 * Times every model call as {@code retouch.openai.edit{model, outcome}} (a histogram), {@code
 * outcome} being {@code success}, {@code rejected} (a permanent failure: OpenAI refused the
 * request), {@code unavailable} (a transient one: 408/409/429/5xx, timeouts) or {@code error}.
 */
public final class TimedImageEditor implements ImageEditor {

  private final ImageEditor editor;
  private final MeterRegistry registry;

  public TimedImageEditor(ImageEditor editor, MeterRegistry registry) {
    this.editor = editor;
    this.registry = registry;
  }

  @Override
  public EditOutcome edit(String model, EditSpec spec, List<EditInput> inputs) {
    Timer.Sample sample = Timer.start(registry);
    String outcome = "error";
    try {
      EditOutcome result = editor.edit(model, spec, inputs);
      outcome = "success";
      return result;
    } catch (PermanentFailure e) {
      outcome = "rejected";
      throw e;
    } catch (TransientFailure e) {
      outcome = "unavailable";
      throw e;
    } finally {
      sample.stop(
          Timer.builder("retouch.openai.edit")
              .description("Model calls, from request to decoded images")
              .tag("model", model)
              .tag("outcome", outcome)
              .publishPercentileHistogram()
              .register(registry));
    }
  }
}
