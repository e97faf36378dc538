package io.retouch.testkit.otlp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The protobuf wire format, as far as reading a message's fields goes: varints, fixed 32/64-bit
 * values and length-delimited bytes. Enough for {@link OtlpCollector}, without protobuf-java.
 */
final class Wire {

  private Wire() {}

  /**
   * One field of a message; {@code bytes} holds a length-delimited value (a string, bytes or an
   * embedded message), empty for the other wire types.
   */
  record Field(int number, long value, byte[] bytes) {
    String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  static List<Field> fields(byte[] message) {
    List<Field> fields = new ArrayList<>();
    int[] at = {0};
    while (at[0] < message.length) {
      long tag = varint(message, at);
      int number = (int) (tag >>> 3);
      int type = (int) (tag & 7);
      switch (type) {
        case 0 -> fields.add(new Field(number, varint(message, at), new byte[0]));
        case 1 -> {
          if (at[0] + 8 > message.length) {
            throw new IllegalArgumentException("truncated field " + number);
          }
          long value = 0;
          for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (message[at[0] + i] & 0xff);
          }
          fields.add(new Field(number, value, new byte[0]));
          at[0] += 8;
        }
        case 2 -> {
          int length = Math.toIntExact(varint(message, at));
          if (length < 0 || at[0] + length > message.length) {
            throw new IllegalArgumentException("truncated field " + number);
          }
          fields.add(new Field(number, 0, Arrays.copyOfRange(message, at[0], at[0] + length)));
          at[0] += length;
        }
        case 5 -> {
          fields.add(new Field(number, 0, new byte[0]));
          at[0] += 4;
        }
        default -> throw new IllegalArgumentException("wire type " + type + " of field " + number);
      }
    }
    if (at[0] != message.length) {
      throw new IllegalArgumentException("truncated message");
    }
    return fields;
  }

  private static long varint(byte[] message, int[] at) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at[0] >= message.length) {
        throw new IllegalArgumentException("truncated varint");
      }
      byte b = message[at[0]++];
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("varint longer than 64 bits");
  }
}
