package io.retouch.common.edit;

import java.util.Optional;

/**
 * The optional parameters beyond Trieve's contract, passed through to the model only when the
 * client set them: a request with the seed's fields alone sends exactly what it always did.
 *
 * @param outputCompression 0–100, for JPEG and WEBP output
 */
public record EditOptions(
    Optional<OutputFormat> outputFormat,
    Optional<Integer> outputCompression,
    Optional<Background> background,
    Optional<InputFidelity> inputFidelity,
    Optional<Complexity> complexity) {

  public static final EditOptions NONE =
      new EditOptions(
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  /** The format the outputs will have: PNG unless another was asked for. */
  public OutputFormat effectiveFormat() {
    return outputFormat.orElse(OutputFormat.PNG);
  }
}
