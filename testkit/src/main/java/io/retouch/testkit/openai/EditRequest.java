package io.retouch.testkit.openai;

import java.util.List;

/**
 * A validated edit request with every default resolved.
 *
 * @param model a served model
 * @param prompt 1 to 32000 characters
 * @param n how many images to produce, 1 to 10
 * @param size the output size ({@code auto} already resolved to 1024x1024)
 * @param quality as given ({@code auto} already resolved to {@code high})
 * @param outputFormat {@code png}, {@code jpeg} or {@code webp}
 * @param compression 0–100, for JPEG and WEBP
 * @param background {@code transparent} or {@code opaque} ({@code auto} resolved to opaque)
 * @param images 1 to 16 input images whose bytes match their declared format
 */
record EditRequest(
    String model,
    String prompt,
    int n,
    ImageSize size,
    String quality,
    String outputFormat,
    int compression,
    String background,
    List<UploadedImage> images) {

  boolean transparent() {
    return background.equals("transparent");
  }
}
