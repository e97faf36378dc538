package io.retouch.testkit.openai;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Image parts for tests that skip the multipart framing. */
final class Uploads {

  private Uploads() {}

  static UploadedImage image(String contentType, byte[] bytes) {
    try {
      return UploadedImage.read(
          new MultipartParser.PartHeaders("image", "in", contentType),
          new ByteArrayInputStream(bytes),
          true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
