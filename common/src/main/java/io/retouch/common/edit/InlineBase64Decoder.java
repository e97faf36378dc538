package io.retouch.common.edit;

import io.retouch.common.spool.SpooledBytes;
import java.io.Writer;
import java.util.Optional;

/**
 * Decodes an {@code image_src.base64} value from its characters as a parser streams them (a {@link
 * Writer}, for {@code JsonParser.readString}), into {@link SpooledBytes}, with the rules {@link
 * io.retouch.common.validation.EditRequestValidator} applied to the whole string before: an
 * optional {@code data:image/<type>;base64,} prefix, white space anywhere ignored, and {@link
 * java.util.Base64#getDecoder()}'s verdict on the rest (padding optional, but correct if present,
 * nothing after it). Only characters that may still start the prefix are held back.
 */
public final class InlineBase64Decoder extends Writer {

  private static final String SCHEME = "data:image/";
  private static final String ENCODING = ";base64,";
  private static final int[] ALPHABET = new int[128];

  static {
    java.util.Arrays.fill(ALPHABET, -1);
    String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < chars.length(); i++) {
      ALPHABET[chars.charAt(i)] = i;
    }
  }

  private enum Prefix {
    SCHEME, // inside "data:image/"
    TYPE, // inside the media subtype
    ENCODING, // inside ";base64,"
    DONE
  }

  private final SpooledBytes out;
  private final long limit;
  private final StorableText.Scan text = new StorableText.Scan();
  private final byte[] buffer = new byte[8 * 1024];
  private int buffered;

  private Prefix prefix = Prefix.SCHEME;
  private final StringBuilder held = new StringBuilder();
  private int matched; // characters of SCHEME or ENCODING matched so far
  private String prefixText = "";

  private long payloadChars;
  private boolean valid = true;
  private int quad; // characters of the current 4-character unit
  private int bits;
  private boolean secondPad; // "xx=" seen, the next character must be "="
  private boolean ended; // padding complete: nothing may follow
  private long decoded;

  /**
   * @param limit decoded bytes worth keeping; past it they are counted, not written
   */
  public InlineBase64Decoder(SpooledBytes out, long limit) {
    this.out = out;
    this.limit = limit;
  }

  @Override
  public void write(char[] chars, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      char c = chars[i];
      text.accept(c);
      if (prefix == Prefix.DONE) {
        payload(c);
      } else {
        prefix(c);
      }
    }
  }

  /** Why the value could not be stored as text (NUL, unpaired surrogates), as for strings. */
  public Optional<String> textProblem() {
    return text.problem();
  }

  /** Ends the value; the decoded bytes are ready to read. */
  public InlineBase64 finish() {
    if (prefix != Prefix.DONE) {
      noPrefix();
    }
    if (secondPad || quad == 1) {
      valid = false;
    } else if (valid && quad == 2) {
      emit(bits >> 4);
    } else if (valid && quad == 3) {
      emit(bits >> 10);
      emit(bits >> 2);
    }
    drain();
    return new InlineBase64(prefixText, payloadChars, valid, decoded, out.finish());
  }

  private void prefix(char c) {
    held.append(c);
    switch (prefix) {
      case SCHEME -> {
        if (c != SCHEME.charAt(matched)) {
          noPrefix();
        } else if (++matched == SCHEME.length()) {
          prefix = Prefix.TYPE;
        }
      }
      case TYPE -> {
        if (c == ';' && held.length() > SCHEME.length() + 1) {
          prefix = Prefix.ENCODING;
          matched = 1;
        } else if (!isTypeChar(c)) {
          noPrefix();
        }
      }
      case ENCODING -> {
        if (c != ENCODING.charAt(matched)) {
          noPrefix();
        } else if (++matched == ENCODING.length()) {
          prefix = Prefix.DONE;
          prefixText = held.toString();
          held.setLength(0);
        }
      }
      case DONE -> throw new IllegalStateException();
    }
  }

  /** The value has no prefix after all: what was held back is payload. */
  private void noPrefix() {
    prefix = Prefix.DONE;
    for (int i = 0; i < held.length(); i++) {
      payload(held.charAt(i));
    }
    held.setLength(0);
  }

  private static boolean isTypeChar(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '+'
        || c == '-';
  }

  private void payload(char c) {
    if (c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r') {
      return; // what the validator's \s+ removed
    }
    payloadChars++;
    if (!valid) {
      return;
    }
    if (ended) {
      valid = false;
    } else if (secondPad) {
      secondPad = false;
      if (c == '=') {
        ended = true;
      } else {
        valid = false;
      }
    } else if (c == '=') {
      switch (quad) {
        case 2 -> secondPad = true;
        case 3 -> ended = true;
        default -> valid = false; // "=" or "x=": no byte to end
      }
    } else {
      int value = c < 128 ? ALPHABET[c] : -1;
      if (value < 0) {
        valid = false;
        return;
      }
      bits = (bits << 6) | value;
      if (++quad == 4) {
        emit(bits >> 16);
        emit(bits >> 8);
        emit(bits);
        quad = 0;
        bits = 0;
      }
    }
  }

  private void emit(int b) {
    if (decoded++ < limit) {
      buffer[buffered++] = (byte) b;
      if (buffered == buffer.length) {
        drain();
      }
    }
  }

  private void drain() {
    out.write(buffer, 0, buffered);
    buffered = 0;
  }

  @Override
  public void flush() {
    // bytes go out as the buffer fills; finish() writes the rest
  }

  @Override
  public void close() {
    // the caller finishes the value; closing the writer changes nothing
  }
}
