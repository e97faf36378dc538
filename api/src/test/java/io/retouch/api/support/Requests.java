package io.retouch.api.support;

import io.retouch.testkit.images.SampleImages;
import java.util.Base64;

/** Request bodies and image bytes for API tests. */
public final class Requests {

  private Requests() {}

  public static byte[] png() {
    return SampleImages.png();
  }

  public static byte[] jpeg() {
    return SampleImages.jpeg();
  }

  public static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  public static String image(String fileName, byte[] bytes) {
    return "{\"file_name\":\"%s\",\"image_src\":{\"base64\":\"%s\"}}"
        .formatted(fileName, b64(bytes));
  }

  /** A valid body: one PNG, a prompt, defaults for the rest. */
  public static String valid() {
    return "{\"input_images\":[" + image("a.png", png()) + "],\"prompt\":\"make it blue\"}";
  }
}
