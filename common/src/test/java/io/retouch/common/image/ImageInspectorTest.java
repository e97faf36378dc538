package io.retouch.common.image;

import static io.retouch.common.testing.Images.concat;
import static io.retouch.common.testing.Images.cut;
import static io.retouch.common.testing.Images.ihdr;
import static io.retouch.common.testing.Images.pngChunk;
import static io.retouch.common.testing.Images.pngSignature;
import static io.retouch.common.testing.Images.riff;
import static io.retouch.common.testing.Images.riffChunk;
import static io.retouch.common.testing.Images.vp8x;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retouch.common.testing.Images;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageInspectorTest {

  private static final byte[] IDAT = pngChunk("IDAT", new byte[] {0x78, (byte) 0x9C, 3, 0});
  private static final byte[] IEND = pngChunk("IEND", new byte[0]);

  static Stream<Arguments> wellFormed() {
    return Stream.of(
        Arguments.of("1x1 PNG", Images.png(), ImageFormat.PNG, 1, 1),
        Arguments.of(
            "PNG at the side limit", Images.png(16_384, 4_096), ImageFormat.PNG, 16_384, 4_096),
        Arguments.of(
            "PNG at the pixel limit", Images.png(8_192, 8_192), ImageFormat.PNG, 8_192, 8_192),
        Arguments.of(
            "palette PNG with PLTE",
            concat(pngSignature(), ihdr(2, 2, 8, 3), pngChunk("PLTE", new byte[3]), IDAT, IEND),
            ImageFormat.PNG,
            2,
            2),
        Arguments.of(
            "RGBA PNG with ancillary chunks",
            concat(
                pngSignature(),
                ihdr(3, 5, 16, 6),
                pngChunk("tEXt", "Comment\0hi".getBytes(StandardCharsets.ISO_8859_1)),
                IDAT,
                IDAT,
                IEND),
            ImageFormat.PNG,
            3,
            5),
        Arguments.of("JPEG from the JDK", Images.jpeg(40, 30), ImageFormat.JPEG, 40, 30),
        Arguments.of(
            "JPEG with trailing bytes after EOI",
            concat(Images.jpeg(8, 8), new byte[] {0, 0, 0}),
            ImageFormat.JPEG,
            8,
            8),
        Arguments.of("lossless WEBP", Images.webp(300, 200), ImageFormat.WEBP, 300, 200),
        Arguments.of("lossy WEBP", Images.lossyWebp(640, 480), ImageFormat.WEBP, 640, 480),
        Arguments.of(
            "extended WEBP with an image",
            riff(
                riffChunk("VP8X", vp8x(false, 64, 48)),
                riffChunk("ICCP", new byte[3]),
                webpImageChunk()),
            ImageFormat.WEBP,
            64,
            48),
        Arguments.of(
            "animated WEBP",
            riff(
                riffChunk("VP8X", vp8x(true, 10, 10)),
                riffChunk("ANIM", new byte[6]),
                riffChunk("ANMF", new byte[16])),
            ImageFormat.WEBP,
            10,
            10));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wellFormed")
  void reads_format_and_size_of_well_formed_images(
      String name, byte[] bytes, ImageFormat format, int width, int height) {
    assertThat(ImageInspector.inspect(bytes)).isEqualTo(new ImageInfo(format, width, height));
  }

  static Stream<Arguments> refused() {
    byte[] png = Images.png();
    byte[] jpeg = Images.jpeg(16, 16);
    byte[] webp = Images.webp(4, 4);
    byte[] badCrc = png.clone();
    badCrc[8 + 8 + 2] ^= 1; // a bit of IHDR's width
    byte[] lossyNotKey = Images.lossyWebp(8, 8);
    lossyNotKey[20] |= 1;
    byte[] vp8lVersion = webp.clone();
    vp8lVersion[24] = (byte) 0xE0;
    return Stream.of(
        row(
            "GIF",
            "GIF89a\1\0\1\0".getBytes(StandardCharsets.US_ASCII),
            "is not a PNG, JPEG or WEBP"),
        row("empty", new byte[0], "is not a PNG, JPEG or WEBP"),
        row("PNG signature only", pngSignature(), "truncated PNG: it ends before its IHDR"),
        row("PNG cut inside IHDR", cut(png, 20), "truncated PNG: it ends inside its IHDR chunk"),
        row("PNG cut inside IDAT", cut(png, 8 + 25 + 10), "truncated PNG: it ends inside its IDAT"),
        row(
            "PNG without IEND",
            cut(png, png.length - 12),
            "truncated PNG: it ends before its IEND"),
        row("PNG with a bad CRC", badCrc, "CRC of its IHDR chunk does not match"),
        row(
            "PNG of 100000x100000",
            concat(pngSignature(), ihdr(100_000, 100_000, 8, 2), IDAT, IEND),
            "PNG of 100000x100000 pixels; images may have at most 16384"),
        row(
            "PNG of 16385 wide",
            concat(pngSignature(), ihdr(16_385, 1, 8, 2), IDAT, IEND),
            "at most 16384 pixels on a side"),
        row(
            "PNG past the pixel limit",
            concat(pngSignature(), ihdr(16_384, 4_097, 8, 2), IDAT, IEND),
            "67108864 pixels in all"),
        row(
            "PNG of zero width",
            concat(pngSignature(), ihdr(0, 10, 8, 2), IDAT, IEND),
            "declares 0x10 pixels"),
        row(
            "PNG of 2^32-1 width",
            concat(pngSignature(), ihdr(0xFFFF_FFFFL, 10, 8, 2), IDAT, IEND),
            "at most 16384 pixels on a side"),
        row(
            "PNG with bit depth 3",
            concat(pngSignature(), ihdr(1, 1, 3, 0), IDAT, IEND),
            "colour type 0 with bit depth 3"),
        row(
            "PNG with colour type 5",
            concat(pngSignature(), ihdr(1, 1, 8, 5), IDAT, IEND),
            "colour type 5"),
        row(
            "PNG starting with another chunk",
            concat(pngSignature(), pngChunk("tEXt", new byte[13]), IDAT, IEND),
            "its first chunk is tEXt, not a 13-byte IHDR"),
        row(
            "PNG with two IHDR",
            concat(pngSignature(), ihdr(1, 1, 8, 0), ihdr(1, 1, 8, 0), IDAT, IEND),
            "second IHDR"),
        row(
            "PNG without IDAT",
            concat(pngSignature(), ihdr(1, 1, 8, 0), IEND),
            "has no IDAT chunk"),
        row(
            "palette PNG without PLTE",
            concat(pngSignature(), ihdr(1, 1, 8, 3), IDAT, IEND),
            "has no PLTE chunk"),
        row(
            "PNG with a chunk of a huge length",
            concat(
                pngSignature(),
                ihdr(1, 1, 8, 0),
                new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 'I', 'D', 'A', 'T'}),
            "ends inside its IDAT chunk"),
        row(
            "PNG with a garbage chunk type",
            concat(pngSignature(), ihdr(1, 1, 8, 0), new byte[] {0, 0, 0, 0, 1, 2, 3, 4}, IEND),
            "has no valid type"),
        row(
            "JPEG magic only",
            new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
            "truncated JPEG"),
        row("JPEG cut in half", cut(jpeg, jpeg.length / 2), "truncated JPEG"),
        row("JPEG without EOI", cut(jpeg, jpeg.length - 2), "before its end-of-image marker"),
        row(
            "JPEG with no frame header",
            new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9},
            "it ends before a frame header"),
        row(
            "JPEG segment longer than the file",
            new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0x10, 0, 'J'},
            "ends inside its 0xE0 marker segment"),
        row(
            "JPEG scan before its frame header",
            new byte[] {
              (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0, 2, 1, (byte) 0xFF, (byte) 0xD9
            },
            "scan starts before its frame header"),
        row("JPEG of 20000 wide", jpegOf(20_000, 10), "JPEG of 20000x10 pixels"),
        row("JPEG of zero height", jpegOf(10, 0), "declares 10x0 pixels"),
        row(
            "JPEG with garbage between segments",
            concat(cut(jpeg, 20), new byte[] {1, 2, 3}),
            "no marker at byte 20"),
        row("WEBP header only", cut(webp, 12), "truncated WEBP"),
        row("WEBP cut short", cut(webp, webp.length - 3), "truncated WEBP: it ends after"),
        row(
            "WEBP with an unknown first chunk",
            riff(riffChunk("JUNK", new byte[10])),
            "first chunk is 'JUNK'"),
        row("lossy WEBP that is not a key frame", lossyNotKey, "does not start with a key frame"),
        row(
            "lossy WEBP without start code",
            riff(riffChunk("VP8 ", new byte[10])),
            "has no start code"),
        row("lossless WEBP of version 7", vp8lVersion, "VP8L version is 7"),
        row(
            "lossless WEBP without signature",
            riff(riffChunk("VP8L", new byte[5])),
            "no lossless signature"),
        row(
            "extended WEBP without an image",
            riff(riffChunk("VP8X", vp8x(false, 10, 10)), riffChunk("ICCP", new byte[3])),
            "not followed by an image"),
        row(
            "animated WEBP without frames",
            riff(riffChunk("VP8X", vp8x(true, 10, 10)), riffChunk("ANIM", new byte[6])),
            "not followed by frames"),
        row(
            "extended WEBP of 20000x20000",
            riff(riffChunk("VP8X", vp8x(false, 20_000, 20_000)), webpImageChunk()),
            "WEBP of 20000x20000 pixels"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refuses_images_that_are_truncated_broken_or_too_large(
      String name, byte[] bytes, String message) {
    assertThatThrownBy(() -> ImageInspector.inspect(bytes))
        .isInstanceOf(InvalidImageException.class)
        .hasMessageContaining(message);
  }

  private static Arguments row(String name, byte[] bytes, String message) {
    return Arguments.of(name, bytes, message);
  }

  private static byte[] webpImageChunk() {
    byte[] lossless = Images.webp(1, 1);
    return java.util.Arrays.copyOfRange(lossless, 12, lossless.length);
  }

  /** A minimal JPEG whose frame header declares the given size. */
  private static byte[] jpegOf(int width, int height) {
    return new byte[] {
      (byte) 0xFF,
      (byte) 0xD8,
      (byte) 0xFF,
      (byte) 0xC0,
      0,
      11,
      8,
      (byte) (height >> 8),
      (byte) height,
      (byte) (width >> 8),
      (byte) width,
      1,
      1,
      0x11,
      0,
      (byte) 0xFF,
      (byte) 0xDA,
      0,
      8,
      1,
      1,
      0,
      0,
      0x3F,
      0,
      0x12,
      0x34,
      (byte) 0xFF,
      (byte) 0xD9
    };
  }
}
