package io.retouch.common.edit;

import io.retouch.common.image.ImageFormat;
import java.util.List;
import java.util.Optional;

/**
 * A request that passed every rule of {@link EditRequestValidator}, with defaults applied.
 *
 * @param spec what the model is asked to do
 * @param format the common format of the inline inputs (or the declared {@code mime_type}); empty
 *     only when every input is a URL and no {@code mime_type} was given
 */
public record EditRequest(List<Input> inputs, EditSpec spec, Optional<ImageFormat> format) {

  public EditRequest {
    inputs = List.copyOf(inputs);
  }

  /** One input image, in request order. */
  public record Input(String fileName, ImageSource source) {}
}
