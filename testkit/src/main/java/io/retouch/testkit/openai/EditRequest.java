package io.retouch.testkit.openai;

import java.util.List;

/**
 * A validated edit request with every default resolved.
 *
 * @param model a known model
 * @param prompt 1 to 32000 characters
 * @param n how many images to produce, 1 to 10
 * @param size the output size ({@code auto} already resolved to 1024x1024)
 * @param quality {@code low}, {@code medium} or {@code high} ({@code auto} already resolved)
 * @param images 1 to 16 input images whose bytes match their declared format
 */
record EditRequest(
    String model,
    String prompt,
    int n,
    ImageSize size,
    String quality,
    List<UploadedImage> images) {}
