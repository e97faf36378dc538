package io.retouch.common.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.common.testing.Images;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImageFormatTest {

  @Test
  void recognises_png_jpeg_and_webp_by_magic_bytes() {
    assertThat(ImageFormat.sniff(Images.png())).contains(ImageFormat.PNG);
    assertThat(ImageFormat.sniff(Images.jpeg())).contains(ImageFormat.JPEG);
    assertThat(ImageFormat.sniff(Images.webp())).contains(ImageFormat.WEBP);
  }

  @Test
  void refuses_other_formats_and_truncated_headers() {
    assertThat(ImageFormat.sniff("GIF89a....".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    assertThat(ImageFormat.sniff("RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.US_ASCII)))
        .isEmpty();
    assertThat(ImageFormat.sniff(new byte[] {(byte) 0x89, 'P', 'N'})).isEmpty();
    assertThat(ImageFormat.sniff(new byte[0])).isEmpty();
    assertThat(ImageFormat.sniff("<svg></svg>".getBytes(StandardCharsets.US_ASCII))).isEmpty();
  }

  @Test
  void maps_mime_types_both_ways() {
    for (ImageFormat format : ImageFormat.values()) {
      assertThat(ImageFormat.fromMimeType(format.mimeType())).contains(format);
    }
    assertThat(ImageFormat.fromMimeType("IMAGE/PNG")).contains(ImageFormat.PNG);
    assertThat(ImageFormat.fromMimeType("image/gif")).isEmpty();
  }
}
