package io.retouch.worker.openai;

import io.retouch.common.image.ImageFormat;

/**
 * The file name an input is sent to OpenAI under. The multipart {@code filename} is a quoted
 * string, so a quote, a backslash (a trailing one escapes the closing quote) or a line break in a
 * client's file name would break the request for everyone after it; control and format characters
 * have no business in a header either. The job keeps the name as the client gave it.
 */
public final class UploadFileName {

  /** Longest name sent, in characters, extension included. */
  public static final int MAX_CHARS = 128;

  private UploadFileName() {}

  public static String of(String original, ImageFormat format) {
    StringBuilder clean = new StringBuilder();
    original
        .codePoints()
        .forEach(
            c -> {
              if (c == '\\' || c == '/') {
                clean.append('_');
              } else if (c != '"' && !unprintable(c)) {
                clean.appendCodePoint(c);
              }
            });
    String name = clean.toString().strip();
    if (name.isEmpty()) {
      return "image." + format.extension();
    }
    return shortened(name);
  }

  private static boolean unprintable(int c) {
    return switch (Character.getType(c)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE,
          Character.UNASSIGNED,
          Character.PRIVATE_USE ->
          true;
      default -> false;
    };
  }

  /** Cut to {@link #MAX_CHARS} code points, keeping a short extension at the end. */
  private static String shortened(String name) {
    if (name.codePointCount(0, name.length()) <= MAX_CHARS) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    String extension = dot > 0 && name.length() - dot <= 6 ? name.substring(dot) : "";
    String stem = extension.isEmpty() ? name : name.substring(0, dot);
    int keep = MAX_CHARS - extension.length();
    return stem.substring(0, stem.offsetByCodePoints(0, keep)) + extension;
  }
}
