package io.retouch.common.edit;

import java.util.List;

/**
 * The body of {@code POST /api/message/edit_image} exactly as a client sends it: Trieve's {@code
 * EditImageReqPayload} and, all optional, the parameters of today's models Trieve lacks ({@code
 * output_format} to {@code complexity}) and a job's own webhook ({@code webhook}, {@code
 * webhook_events_filter}, Replicate's names). Nothing here has been checked yet; {@link
 * io.retouch.common.validation.EditRequestValidator} turns it into an {@link EditRequest}.
 */
public record EditImageRequest(
    List<InputImage> inputImages,
    String prompt,
    String mimeType,
    Integer n,
    String quality,
    String size,
    String outputFormat,
    Integer outputCompression,
    String background,
    String inputFidelity,
    String complexity,
    String webhook,
    List<String> webhookEventsFilter) {

  /** One input: a file name and where its bytes are. */
  public record InputImage(String fileName, ImageSrc imageSrc) {}

  /**
   * Trieve's externally tagged {@code ImageSourceType}: exactly one of the two is set. The base64
   * text is decoded as it is read, never kept as a string.
   */
  public record ImageSrc(InlineBase64 base64, String url) {}
}
