package io.retouch.testkit.openai;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * A lossless WEBP encoder (VP8L, RFC 9649), small enough for the fake: no transforms, no colour
 * cache and no backward references; every pixel is four literals (green, red, blue, alpha), each
 * channel with its own canonical prefix code. The files are larger than libwebp's, but they are
 * real WEBP that any decoder reads, which the JDK cannot write.
 */
final class WebpEncoder {

  private static final int GREEN_ALPHABET = 256 + 24; // literals and the LZ77 length prefixes
  private static final int DISTANCE_ALPHABET = 40;
  private static final int MAX_CODE_LENGTH = 15;
  private static final int MAX_CODE_LENGTH_CODE_LENGTH = 7;
  private static final int[] CODE_LENGTH_ORDER = {
    17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
  };

  private WebpEncoder() {}

  /** Encodes {@code width*height} pixels given as {@code 0xAARRGGBB} ints, row by row. */
  static byte[] encode(int width, int height, int[] argb, boolean alpha) {
    int pixels = width * height;
    int[][] histograms = new int[4][256]; // green, red, blue, alpha
    for (int i = 0; i < pixels; i++) {
      int p = alpha ? argb[i] : argb[i] | 0xFF000000;
      histograms[0][(p >>> 8) & 0xFF]++;
      histograms[1][(p >>> 16) & 0xFF]++;
      histograms[2][p & 0xFF]++;
      histograms[3][p >>> 24]++;
    }
    Bits bits = new Bits();
    bits.write(0x2F, 8); // signature
    bits.write(width - 1, 14);
    bits.write(height - 1, 14);
    bits.write(alpha ? 1 : 0, 1);
    bits.write(0, 3); // version
    bits.write(0, 1); // no transform
    bits.write(0, 1); // no colour cache
    bits.write(0, 1); // one group of prefix codes for the whole image
    PrefixCode[] codes = new PrefixCode[4];
    codes[0] = PrefixCode.write(bits, Arrays.copyOf(histograms[0], GREEN_ALPHABET));
    codes[1] = PrefixCode.write(bits, histograms[1]);
    codes[2] = PrefixCode.write(bits, histograms[2]);
    codes[3] = PrefixCode.write(bits, histograms[3]);
    PrefixCode.write(bits, new int[DISTANCE_ALPHABET]); // no backward references
    for (int i = 0; i < pixels; i++) {
      int p = alpha ? argb[i] : argb[i] | 0xFF000000;
      codes[0].emit(bits, (p >>> 8) & 0xFF);
      codes[1].emit(bits, (p >>> 16) & 0xFF);
      codes[2].emit(bits, p & 0xFF);
      codes[3].emit(bits, p >>> 24);
    }
    return riff(bits.bytes());
  }

  private static byte[] riff(byte[] vp8l) {
    int padded = vp8l.length + (vp8l.length & 1);
    ByteBuffer file = ByteBuffer.allocate(20 + padded).order(ByteOrder.LITTLE_ENDIAN);
    file.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + padded);
    file.put("WEBP".getBytes(StandardCharsets.US_ASCII));
    file.put("VP8L".getBytes(StandardCharsets.US_ASCII)).putInt(vp8l.length).put(vp8l);
    return file.array();
  }

  /** Bits packed from the least significant end, as VP8L reads them. */
  private static final class Bits {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long pending;
    private int count;

    void write(int value, int width) {
      pending |= ((long) value & ((1L << width) - 1)) << count;
      count += width;
      while (count >= 8) {
        out.write((int) (pending & 0xFF));
        pending >>>= 8;
        count -= 8;
      }
    }

    /** The stream, with four zero bytes after it for decoders that read ahead a word at a time. */
    byte[] bytes() {
      if (count > 0) {
        out.write((int) (pending & 0xFF));
        count = 0;
        pending = 0;
      }
      out.writeBytes(new byte[4]);
      return out.toByteArray();
    }
  }

  /** A canonical prefix code over one alphabet, as written to the stream and then used. */
  private record PrefixCode(int[] lengths, int[] codes) {

    void emit(Bits bits, int symbol) {
      if (lengths[symbol] > 0) {
        bits.write(codes[symbol], lengths[symbol]);
      }
    }

    /** Writes the code for {@code histogram}'s symbols and returns it. */
    static PrefixCode write(Bits bits, int[] histogram) {
      int[] used =
          java.util.stream.IntStream.range(0, histogram.length)
              .filter(s -> histogram[s] > 0)
              .toArray();
      if (used.length <= 2 && (used.length == 0 || used[used.length - 1] < 256)) {
        return simple(bits, histogram.length, used);
      }
      int[] lengths = lengths(histogram, MAX_CODE_LENGTH);
      writeLengths(bits, lengths);
      return new PrefixCode(lengths, canonical(lengths));
    }

    /** The "simple" code of one or two symbols: one symbol costs no bits, two cost one each. */
    private static PrefixCode simple(Bits bits, int alphabet, int[] used) {
      int first = used.length == 0 ? 0 : used[0];
      bits.write(1, 1);
      bits.write(Math.max(1, used.length) - 1, 1);
      if (first <= 1) {
        bits.write(0, 1);
        bits.write(first, 1);
      } else {
        bits.write(1, 1);
        bits.write(first, 8);
      }
      int[] lengths = new int[alphabet];
      int[] codes = new int[alphabet];
      if (used.length == 2) {
        bits.write(used[1], 8);
        lengths[first] = 1;
        lengths[used[1]] = 1;
        codes[used[1]] = 1;
      }
      return new PrefixCode(lengths, codes);
    }

    /** The code lengths, themselves coded with a code over the lengths 0–15. */
    private static void writeLengths(Bits bits, int[] lengths) {
      int[] lengthHistogram = new int[19];
      for (int length : lengths) {
        lengthHistogram[length]++;
      }
      int[] lengthLengths = lengths(lengthHistogram, MAX_CODE_LENGTH_CODE_LENGTH);
      int[] lengthCodes = canonical(lengthLengths);
      bits.write(0, 1); // normal code
      bits.write(CODE_LENGTH_ORDER.length - 4, 4);
      for (int symbol : CODE_LENGTH_ORDER) {
        bits.write(lengthLengths[symbol], 3);
      }
      bits.write(0, 1); // every symbol of the alphabet has a length
      for (int length : lengths) {
        bits.write(lengthCodes[length], lengthLengths[length]);
      }
    }

    /**
     * Huffman code lengths for {@code histogram}, at most {@code limit} long: counts are halved
     * until the tree is shallow enough. At least two symbols get a length, so the code is complete.
     */
    private static int[] lengths(int[] histogram, int limit) {
      long[] counts = new long[histogram.length];
      int nonZero = 0;
      for (int i = 0; i < histogram.length; i++) {
        counts[i] = histogram[i];
        if (counts[i] > 0) {
          nonZero++;
        }
      }
      for (int i = 0; nonZero < 2; i++) {
        if (counts[i] == 0) {
          counts[i] = 1;
          nonZero++;
        }
      }
      while (true) {
        int[] lengths = huffman(counts);
        if (Arrays.stream(lengths).max().orElse(0) <= limit) {
          return lengths;
        }
        for (int i = 0; i < counts.length; i++) {
          if (counts[i] > 0) {
            counts[i] = Math.max(1, counts[i] >> 1);
          }
        }
      }
    }

    private static int[] huffman(long[] counts) {
      record Node(long weight, int symbol, Node left, Node right) {}
      PriorityQueue<Node> queue =
          new PriorityQueue<>(
              (a, b) ->
                  a.weight() != b.weight()
                      ? Long.compare(a.weight(), b.weight())
                      : Integer.compare(a.symbol(), b.symbol()));
      for (int s = 0; s < counts.length; s++) {
        if (counts[s] > 0) {
          queue.add(new Node(counts[s], s, null, null));
        }
      }
      while (queue.size() > 1) {
        Node a = queue.poll();
        Node b = queue.poll();
        queue.add(new Node(a.weight() + b.weight(), Math.min(a.symbol(), b.symbol()), a, b));
      }
      int[] lengths = new int[counts.length];
      java.util.ArrayDeque<Object[]> stack = new java.util.ArrayDeque<>();
      stack.push(new Object[] {queue.poll(), 0});
      while (!stack.isEmpty()) {
        Object[] entry = stack.pop();
        Node node = (Node) entry[0];
        int depth = (int) entry[1];
        if (node.left() == null) {
          lengths[node.symbol()] = Math.max(1, depth);
        } else {
          stack.push(new Object[] {node.left(), depth + 1});
          stack.push(new Object[] {node.right(), depth + 1});
        }
      }
      return lengths;
    }

    /** Canonical codes for {@code lengths}, bit-reversed for a least-significant-first stream. */
    private static int[] canonical(int[] lengths) {
      int max = Arrays.stream(lengths).max().orElse(0);
      int[] perLength = new int[max + 2];
      for (int length : lengths) {
        if (length > 0) {
          perLength[length]++;
        }
      }
      int[] next = new int[max + 2];
      int code = 0;
      for (int length = 1; length <= max; length++) {
        code = (code + perLength[length - 1]) << 1;
        next[length] = code;
      }
      int[] codes = new int[lengths.length];
      for (int symbol = 0; symbol < lengths.length; symbol++) {
        int length = lengths[symbol];
        if (length > 0) {
          codes[symbol] = Integer.reverse(next[length]++) >>> (32 - length);
        }
      }
      return codes;
    }
  }
}
