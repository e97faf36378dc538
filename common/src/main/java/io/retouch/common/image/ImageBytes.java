package io.retouch.common.image;

import io.retouch.common.spool.SpooledBytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.Checksum;

/**
 * The bytes of an image as the structure readers see them: random reads by position, from an array
 * or from {@link SpooledBytes} through a small window, so that checking a 50 MB upload that sits in
 * a temp file does not load it whole.
 */
abstract sealed class ImageBytes {

  abstract int length();

  /** The unsigned byte at {@code at}; callers have checked the bounds. */
  abstract int u8(int at);

  /** Feeds {@code length} bytes from {@code from} to {@code checksum}. */
  abstract void update(Checksum checksum, int from, int length);

  final String latin1(int at, int length) {
    byte[] chars = new byte[length];
    for (int i = 0; i < length; i++) {
      chars[i] = (byte) u8(at + i);
    }
    return new String(chars, StandardCharsets.ISO_8859_1);
  }

  static ImageBytes of(byte[] bytes) {
    return new Array(bytes);
  }

  static ImageBytes of(SpooledBytes bytes) {
    return new Windowed(bytes);
  }

  private static final class Array extends ImageBytes {
    private final byte[] b;

    Array(byte[] b) {
      this.b = b;
    }

    @Override
    int length() {
      return b.length;
    }

    @Override
    int u8(int at) {
      return b[at] & 0xFF;
    }

    @Override
    void update(Checksum checksum, int from, int length) {
      checksum.update(b, from, length);
    }
  }

  /** Reads through a 64 KiB window; the readers mostly move forward, so it is seldom refilled. */
  private static final class Windowed extends ImageBytes {
    private final SpooledBytes source;
    private final int length;
    private final byte[] window = new byte[64 * 1024];
    private int start;
    private int filled;

    Windowed(SpooledBytes source) {
      if (source.size() > Integer.MAX_VALUE) {
        throw new InvalidImageException("is larger than any image Retouch passes on");
      }
      this.source = source;
      this.length = (int) source.size();
    }

    @Override
    int length() {
      return length;
    }

    @Override
    int u8(int at) {
      if (at < start || at >= start + filled) {
        load(at);
      }
      return window[at - start] & 0xFF;
    }

    @Override
    void update(Checksum checksum, int from, int length) {
      for (int pos = from; pos < from + length; ) {
        load(pos);
        int n = Math.min(filled, from + length - pos);
        checksum.update(window, 0, n);
        pos += n;
      }
    }

    private void load(int at) {
      try {
        int n = 0;
        int want = Math.min(window.length, length - at);
        while (n < want) {
          int read = source.read(at + n, window, n, want - n);
          if (read < 0) {
            break;
          }
          n += read;
        }
        start = at;
        filled = n;
      } catch (IOException e) {
        throw new UncheckedIOException("could not read a spooled input", e);
      }
    }
  }
}
