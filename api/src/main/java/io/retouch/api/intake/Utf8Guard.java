package io.retouch.api.intake;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Makes Jackson refuse, with the JSON path of the field, the UTF-8 its decoder lets through:
 * overlong forms ({@code C0 AF} for "/", {@code C0 80} for NUL), code points past U+10FFFF and
 * encoded surrogates. The first byte of such a sequence is handed to Jackson as {@code 0x80}, which
 * it refuses as the start of a character at that very place; the guard remembers what it saw so the
 * error can say so. Every other malformation (stray or missing continuation bytes) Jackson catches
 * itself.
 */
final class Utf8Guard extends FilterInputStream {

  private static final int POISON = 0x80;

  private final byte[] buffer = new byte[16 * 1024];
  private long base; // offset of buffer[0] in the body
  private int pos; // next byte to hand out
  private int checked; // [pos, checked) is checked; [checked, limit) waits for its next byte
  private int limit;
  private boolean eof;
  private String problem;
  // the state machine: continuation bytes still expected, and the range of the next one
  private int need;
  private int low = 0x80;
  private int high = 0xBF;

  Utf8Guard(InputStream in) {
    super(in);
  }

  /** What was wrong with the body's UTF-8, if anything, and where. */
  Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  @Override
  public int read() throws IOException {
    return fill() ? buffer[pos++] & 0xFF : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, checked - pos);
    System.arraycopy(buffer, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = 0;
    while (skipped < n && fill()) {
      int step = (int) Math.min(n - skipped, checked - pos);
      pos += step;
      skipped += step;
    }
    return skipped;
  }

  @Override
  public int available() {
    return checked - pos;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Makes checked bytes available; false when the body is over. */
  private boolean fill() throws IOException {
    while (pos == checked) {
      if (eof) {
        if (checked == limit) {
          return false;
        }
        checked = limit; // a lead byte at the very end: Jackson reports the truncation
        truncatedAtEnd();
        return true;
      }
      if (pos > 0) {
        System.arraycopy(buffer, pos, buffer, 0, limit - pos);
        base += pos;
        limit -= pos;
        checked -= pos;
        pos = 0;
      }
      int read = in.read(buffer, limit, buffer.length - limit);
      if (read < 0) {
        eof = true;
        if (need > 0) {
          truncatedAtEnd();
        }
      } else {
        limit += read;
        checked = scan(checked, limit);
      }
    }
    return true;
  }

  /**
   * Checks [from, to) as a UTF-8 state machine (RFC 3629 §4), poisoning what Jackson would decode
   * without complaint and noting every other malformation, which Jackson reports itself inside the
   * fields it reads but not inside those it skips. Returns where checking stopped: {@code to}, or a
   * lead byte at its end whose verdict needs the next byte.
   */
  private int scan(int from, int to) {
    for (int i = from; i < to; i++) {
      int c = buffer[i] & 0xFF;
      if (need > 0) {
        if (c >= low && c <= high) {
          need--;
          low = 0x80;
          high = 0xBF;
          continue;
        }
        note(i, "a truncated multi-byte sequence");
        need = 0;
      }
      if (c < 0x80) {
        continue;
      }
      if (c < 0xC0) {
        note(i, "a continuation byte without a lead byte");
      } else if (c == 0xC0 || c == 0xC1) {
        poison(i, "an overlong encoding");
      } else if (c >= 0xF5) {
        poison(i, "a byte that never occurs in UTF-8");
      } else if (c == 0xE0 || c == 0xED || c == 0xF0 || c == 0xF4) {
        if (i + 1 == to) {
          return i;
        }
        int next = buffer[i + 1] & 0xFF;
        int min = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
        int max = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
        if (next >= 0x80 && next <= 0xBF && (next < min || next > max)) {
          poison(
              i,
              c == 0xED
                  ? "an encoded surrogate"
                  : c == 0xF4 ? "a code point past U+10FFFF" : "an overlong encoding");
        } else {
          need = c >= 0xF0 ? 3 : 2;
          low = min;
          high = max;
        }
      } else {
        need = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
      }
    }
    return to;
  }

  private void truncatedAtEnd() {
    if (problem == null) {
      problem = "a truncated multi-byte sequence at the end, byte " + (base + limit);
    }
  }

  private void note(int index, String what) {
    if (problem == null) {
      problem = "%s (0x%02X) at byte %d".formatted(what, buffer[index] & 0xFF, base + index);
    }
  }

  private void poison(int index, String what) {
    if (problem == null) {
      problem = "%s (0x%02X) at byte %d".formatted(what, buffer[index] & 0xFF, base + index);
    }
    buffer[index] = (byte) POISON;
  }
}
