package io.retouch.common.image;

import java.util.Arrays;
import java.util.Optional;

/** The image formats OpenAI's edit endpoint accepts, recognised by their magic bytes. */
public enum ImageFormat {
  PNG("image/png", "png"),
  JPEG("image/jpeg", "jpg"),
  WEBP("image/webp", "webp");

  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private final String mimeType;
  private final String extension;

  ImageFormat(String mimeType, String extension) {
    this.mimeType = mimeType;
    this.extension = extension;
  }

  public String mimeType() {
    return mimeType;
  }

  public String extension() {
    return extension;
  }

  public static Optional<ImageFormat> fromMimeType(String mimeType) {
    return Arrays.stream(values()).filter(f -> f.mimeType.equalsIgnoreCase(mimeType)).findFirst();
  }

  /**
   * Detects the format from the first bytes; names and declared types are not trusted.
   *
   * @return empty when the bytes are none of PNG, JPEG or WEBP
   */
  public static Optional<ImageFormat> sniff(byte[] bytes) {
    return sniff(ImageBytes.of(bytes));
  }

  static Optional<ImageFormat> sniff(ImageBytes bytes) {
    if (startsWith(bytes, PNG_MAGIC)) {
      return Optional.of(PNG);
    }
    if (bytes.length() >= 3 && bytes.u8(0) == 0xFF && bytes.u8(1) == 0xD8 && bytes.u8(2) == 0xFF) {
      return Optional.of(JPEG);
    }
    if (bytes.length() >= 12
        && bytes.latin1(0, 4).equals("RIFF")
        && bytes.latin1(8, 4).equals("WEBP")) {
      return Optional.of(WEBP);
    }
    return Optional.empty();
  }

  private static boolean startsWith(ImageBytes bytes, byte[] prefix) {
    if (bytes.length() < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes.u8(i) != (prefix[i] & 0xFF)) {
        return false;
      }
    }
    return true;
  }
}
