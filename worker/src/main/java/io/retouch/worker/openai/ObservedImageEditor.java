package io.retouch.worker.openai;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.retouch.common.edit.EditSpec;
import io.retouch.common.job.PermanentFailure;
import io.retouch.common.job.TransientFailure;
import java.util.List;

/**
 * Observes every model call as {@code retouch.openai.edit{model, outcome}}: a timer (histogram)
 * and, with tracing, a span under the job's attempt. {@code outcome} is {@code success}, {@code
 * rejected} (a permanent failure: OpenAI refused the request), {@code unavailable} (a transient
 * one: 408/409/429/5xx, timeouts) or {@code error}.
 */
public final class ObservedImageEditor implements ImageEditor {

  private final ImageEditor editor;
  private final ObservationRegistry registry;

  public ObservedImageEditor(ImageEditor editor, ObservationRegistry registry) {
    this.editor = editor;
    this.registry = registry;
  }

  @Override
  public EditOutcome edit(String model, EditSpec spec, List<EditInput> inputs) {
    Observation observation =
        Observation.createNotStarted("retouch.openai.edit", registry)
            .contextualName("openai image edit " + model)
            .lowCardinalityKeyValue("model", model)
            .start();
    String outcome = "error";
    try (Observation.Scope scope = observation.openScope()) {
      EditOutcome result = editor.edit(model, spec, inputs);
      outcome = "success";
      return result;
    } catch (PermanentFailure e) {
      outcome = "rejected";
      observation.error(e);
      throw e;
    } catch (TransientFailure e) {
      outcome = "unavailable";
      observation.error(e);
      throw e;
    } catch (RuntimeException e) {
      observation.error(e);
      throw e;
    } finally {
      observation.lowCardinalityKeyValue("outcome", outcome).stop();
    }
  }
}
