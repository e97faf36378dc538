package io.retouch.api.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Utf8GuardTest {

  /** hex bytes, what the guard hands on (hex), and the problem it notes (empty: none). */
  @ParameterizedTest(name = "{0}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "41 42 43 | 41 42 43 |",
        "C3 A9 | C3 A9 |",
        "E2 82 AC | E2 82 AC |",
        "F0 9F 8E A8 | F0 9F 8E A8 |",
        "ED 9F BF | ED 9F BF |",
        "F4 8F BF BF | F4 8F BF BF |",
        "E0 A0 80 | E0 A0 80 |",
        "C0 AF | 80 AF | an overlong encoding (0xC0) at byte 0",
        "41 C0 80 | 41 80 80 | an overlong encoding (0xC0) at byte 1",
        "C1 BF | 80 BF | an overlong encoding (0xC1)",
        "E0 80 AF | 80 80 AF | an overlong encoding (0xE0)",
        "F0 80 80 AF | 80 80 80 AF | an overlong encoding (0xF0)",
        "ED A0 80 | 80 A0 80 | an encoded surrogate (0xED)",
        "F4 90 80 80 | 80 90 80 80 | a code point past U+10FFFF (0xF4)",
        "F5 80 80 80 | 80 80 80 80 | a byte that never occurs in UTF-8 (0xF5)",
        "FF | 80 | a byte that never occurs in UTF-8 (0xFF)",
        "41 80 | 41 80 | a continuation byte without a lead byte (0x80) at byte 1",
        "E2 82 41 | E2 82 41 | a truncated multi-byte sequence (0x41) at byte 2",
        "C3 | C3 | a truncated multi-byte sequence",
        "E0 | E0 | a truncated multi-byte sequence",
      })
  void poisons_what_jackson_misses_and_notes_every_malformation(
      String in, String out, String problem) throws IOException {
    for (boolean oneByteAtATime : new boolean[] {false, true}) {
      Utf8Guard guard = new Utf8Guard(source(hex(in), oneByteAtATime));
      assertThat(HexFormat.of().formatHex(guard.readAllBytes()))
          .isEqualTo(out.replace(" ", "").toLowerCase());
      if (problem == null) {
        assertThat(guard.problem()).isEmpty();
      } else {
        assertThat(guard.problem()).hasValueSatisfying(p -> assertThat(p).contains(problem));
      }
    }
  }

  @org.junit.jupiter.api.Test
  void offsets_count_across_buffer_refills() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("x".repeat(40_000).getBytes());
    body.writeBytes(hex("E0 80 AF"));
    Utf8Guard guard = new Utf8Guard(source(body.toByteArray(), false));
    guard.readAllBytes();
    assertThat(guard.problem()).contains("an overlong encoding (0xE0) at byte 40000");
  }

  private static byte[] hex(String text) {
    return HexFormat.of().parseHex(text.replace(" ", ""));
  }

  /** A stream that may hand out one byte per read, as a slow network does. */
  private static InputStream source(byte[] bytes, boolean oneByteAtATime) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, oneByteAtATime ? Math.min(1, len) : len);
      }
    };
  }
}
