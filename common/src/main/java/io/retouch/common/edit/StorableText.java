package io.retouch.common.edit;

import java.util.Optional;

/**
 * Text Retouch can store and pass on: valid Unicode without U+0000. Postgres refuses NUL in text
 * columns, and an unpaired surrogate (a JSON {@code \ud800} escape, say) is no character at all:
 * encoders silently turn it into {@code ?}. Both are the client's mistake, to be answered as such.
 */
public final class StorableText {

  private StorableText() {}

  /**
   * @return why {@code text} cannot be stored, or empty when it can
   */
  public static Optional<String> problem(String text) {
    if (text.indexOf('\0') >= 0) {
      return Optional.of(
          "contains U+0000 (NUL) at character " + text.indexOf('\0') + ", which cannot be stored");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return Optional.of(
            "contains an unpaired surrogate (\\u%04X) at character %d, which is not valid Unicode"
                .formatted((int) c, i));
      }
    }
    return Optional.empty();
  }
}
