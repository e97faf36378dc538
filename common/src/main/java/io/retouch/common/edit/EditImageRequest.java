package io.retouch.common.edit;

import java.util.List;

/**
 * The body of {@code POST /api/message/edit_image} exactly as a client sends it (Trieve's {@code
 * EditImageReqPayload}); nothing here has been checked yet. {@link EditRequestValidator} turns it
 * into an {@link EditRequest}.
 */
public record EditImageRequest(
    List<InputImage> inputImages,
    String prompt,
    String mimeType,
    Integer n,
    String quality,
    String size) {

  /** One input: a file name and where its bytes are. */
  public record InputImage(String fileName, ImageSrc imageSrc) {}

  /** Trieve's externally tagged {@code ImageSourceType}: exactly one of the two is set. */
  public record ImageSrc(String base64, String url) {}
}
