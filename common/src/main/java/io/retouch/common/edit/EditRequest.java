package io.retouch.common.edit;

import io.retouch.common.image.ImageFormat;
import io.retouch.common.webhook.JobWebhook;
import java.util.List;
import java.util.Optional;

/**
 * A request that passed every rule of {@link io.retouch.common.validation.EditRequestValidator},
 * with defaults applied.
 *
 * @param spec what the model is asked to do
 * @param format the common format of the inline inputs (or the declared {@code mime_type}); empty
 *     only when every input is a URL and no {@code mime_type} was given
 * @param webhook the job's own webhook, when the request named one
 */
public record EditRequest(
    List<Input> inputs, EditSpec spec, Optional<ImageFormat> format, Optional<JobWebhook> webhook) {

  public EditRequest {
    inputs = List.copyOf(inputs);
  }

  /** One input image, in request order. */
  public record Input(String fileName, ImageSource source) {}
}
