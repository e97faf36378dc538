package io.retouch.testkit.openai;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The input image formats OpenAI's edit endpoint accepts, with their magic-byte signatures. */
enum ImageFormat {
  PNG("image/png"),
  JPEG("image/jpeg"),
  WEBP("image/webp");

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final byte[] RIFF = "RIFF".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] WEBP_TAG = "WEBP".getBytes(StandardCharsets.US_ASCII);

  private final String mimeType;

  ImageFormat(String mimeType) {
    this.mimeType = mimeType;
  }

  String mimeType() {
    return mimeType;
  }

  /** The format for a part's Content-Type header (parameters and case ignored), if supported. */
  static Optional<ImageFormat> forContentType(String contentType) {
    String media = mediaType(contentType);
    return Arrays.stream(values()).filter(f -> f.mimeType.equals(media)).findFirst();
  }

  /** The bare, lower-cased media type; multipart parts without a Content-Type are text/plain. */
  static String mediaType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return "text/plain";
    }
    int semicolon = contentType.indexOf(';');
    String media = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return media.trim().toLowerCase(Locale.ROOT);
  }

  /** Whether {@code bytes} start with this format's signature. */
  boolean matches(byte[] bytes) {
    return switch (this) {
      case PNG -> startsWith(bytes, 0, PNG_SIGNATURE);
      case JPEG ->
          bytes.length >= 3
              && bytes[0] == (byte) 0xFF
              && bytes[1] == (byte) 0xD8
              && bytes[2] == (byte) 0xFF;
      case WEBP -> startsWith(bytes, 0, RIFF) && startsWith(bytes, 8, WEBP_TAG);
    };
  }

  private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
    return bytes.length >= offset + prefix.length
        && Arrays.equals(bytes, offset, offset + prefix.length, prefix, 0, prefix.length);
  }
}
