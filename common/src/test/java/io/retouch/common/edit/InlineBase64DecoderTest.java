package io.retouch.common.edit;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.common.spool.SpooledBytes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming decoder against what the validator did with the whole string: strip a data-URL
 * prefix, remove white space, then {@link Base64#getDecoder()}. Every value is fed in pieces of
 * every size from 1 up, so a prefix or a padding split across pieces is covered.
 */
class InlineBase64DecoderTest {

  private static final Pattern PREFIX = Pattern.compile("^data:image/[A-Za-z0-9.+-]+;base64,");

  static List<String> values() {
    String sample = Base64.getEncoder().encodeToString(randomBytes(40));
    List<String> values =
        new ArrayList<>(
            List.of(
                "",
                "QQ",
                "QQ=",
                "QQ==",
                "QQ===",
                "QUI",
                "QUI=",
                "QUI==",
                "QUJD",
                "QUJD=",
                "Q",
                "Q=",
                "=",
                "QUJDRA==QQ",
                "QU JD\nRA=\r\n=",
                " QUJD ",
                "QU\u00a0JD",
                "QUJ\u2003D",
                "QUJ-D_",
                "%%%",
                "@@@@!!",
                "data:image/png;base64,",
                "data:image/png;base64,QUJD",
                "data:image/svg+xml;base64,QUJD",
                "data:image/;base64,QUJD",
                "data:image/png;base64QUJD",
                "data:image/png;BASE64,QUJD",
                "data:text/plain;base64,QUJD",
                "data:image/p ng;base64,QUJD",
                " data:image/png;base64,QUJD",
                "data:image/png;base64, QU JD",
                "data",
                "dat",
                "data:image/png",
                "datAQUJD",
                "dataQUJD",
                "data:image/png;base64,data:image/png;base64,QUJD",
                sample,
                sample.substring(0, sample.length() - 1),
                "data:image/jpeg;base64," + sample.replaceAll("(.{4})", "$1\n")));
    return values;
  }

  @ParameterizedTest
  @MethodSource("values")
  void decodes_as_the_whole_string_was_decoded(String value) {
    Expected expected = Expected.of(value);
    for (int piece = 1; piece <= Math.max(1, value.length()); piece++) {
      InlineBase64 decoded = decodeInPieces(value, piece);
      assertThat(decoded.payloadChars()).as("payload of %s", value).isEqualTo(expected.chars());
      assertThat(decoded.valid()).as("validity of %s", value).isEqualTo(expected.bytes() != null);
      assertThat(decoded.prefix()).isEqualTo(expected.prefix());
      if (expected.bytes() != null) {
        assertThat(decoded.decoded().readAllBytes()).isEqualTo(expected.bytes());
        assertThat(decoded.decodedBytes()).isEqualTo(expected.bytes().length);
      }
    }
  }

  @Test
  void random_bytes_in_every_form_decode_to_themselves() {
    Random random = new Random(7);
    for (int n = 0; n < 200; n++) {
      byte[] bytes = randomBytes(random.nextInt(300));
      String plain = Base64.getEncoder().encodeToString(bytes);
      String mime = Base64.getMimeEncoder().encodeToString(bytes);
      String unpadded = Base64.getEncoder().withoutPadding().encodeToString(bytes);
      for (String value : List.of(plain, mime, unpadded, "data:image/png;base64," + plain)) {
        InlineBase64 decoded = decodeInPieces(value, 1 + random.nextInt(17));
        assertThat(decoded.valid()).isEqualTo(!value.isEmpty() || bytes.length == 0);
        assertThat(decoded.decoded().readAllBytes()).isEqualTo(bytes);
      }
    }
  }

  @Test
  void past_its_limit_the_decoder_counts_bytes_without_keeping_them() {
    String value = Base64.getEncoder().encodeToString(new byte[3000]);
    InlineBase64Decoder decoder = new InlineBase64Decoder(SpooledBytes.inMemory(), 1000);
    decoder.write(value.toCharArray(), 0, value.length());

    InlineBase64 decoded = decoder.finish();

    assertThat(decoded.decodedBytes()).isEqualTo(3000);
    assertThat(decoded.decoded().size()).isEqualTo(1000);
  }

  @Test
  void text_that_cannot_be_stored_is_reported_as_for_any_string() {
    InlineBase64Decoder decoder = new InlineBase64Decoder(SpooledBytes.inMemory(), 100);
    decoder.write("QU\0JD".toCharArray(), 0, 5);

    assertThat(decoder.textProblem()).isEqualTo(StorableText.problem("QU\0JD"));
  }

  private static InlineBase64 decodeInPieces(String value, int piece) {
    InlineBase64Decoder decoder = new InlineBase64Decoder(SpooledBytes.inMemory(), Long.MAX_VALUE);
    char[] chars = value.toCharArray();
    for (int at = 0; at < chars.length; at += piece) {
      decoder.write(chars, at, Math.min(piece, chars.length - at));
    }
    return decoder.finish();
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random(n).nextBytes(bytes);
    return bytes;
  }

  /** What the validator computed from the whole string, before streaming. */
  private record Expected(String prefix, long chars, byte[] bytes) {
    static Expected of(String value) {
      var matcher = PREFIX.matcher(value);
      String prefix = matcher.find() ? matcher.group() : "";
      String payload = value.substring(prefix.length()).replaceAll("\\s+", "");
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(payload);
      } catch (IllegalArgumentException e) {
        bytes = null;
      }
      return new Expected(prefix, payload.length(), bytes);
    }
  }
}
