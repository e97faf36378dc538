package io.retouch.worker.openai;

import io.retouch.common.edit.EditSpec;
import java.util.List;

/**
 * Edits images with a model. Implementations classify failures as {@link
 * io.retouch.common.job.PermanentFailure} or {@link io.retouch.common.job.TransientFailure}.
 */
public interface ImageEditor {

  EditOutcome edit(String model, EditSpec spec, List<EditInput> inputs);
}
