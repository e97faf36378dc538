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
    Scan scan = new Scan();
    for (int i = 0; i < text.length(); i++) {
      scan.accept(text.charAt(i));
    }
    return scan.problem();
  }

  /**
   * The same judgement over text that arrives in pieces (a long value streamed from a parser),
   * without holding it: feed every character in order, then ask for the {@link #problem()}.
   */
  public static final class Scan {
    private long index;
    private long nul = -1;
    private long highAt = -1; // a high surrogate waiting for its low half
    private char high;
    private long unpairedAt = -1;
    private char unpaired;

    public void accept(char c) {
      if (c == '\0' && nul < 0) {
        nul = index;
      }
      if (highAt >= 0) {
        boolean paired = Character.isLowSurrogate(c);
        if (!paired) {
          unpaired(high, highAt);
        }
        highAt = -1;
        if (paired) {
          index++;
          return;
        }
      }
      if (Character.isHighSurrogate(c)) {
        high = c;
        highAt = index;
      } else if (Character.isSurrogate(c)) {
        unpaired(c, index);
      }
      index++;
    }

    private void unpaired(char c, long at) {
      if (unpairedAt < 0) {
        unpaired = c;
        unpairedAt = at;
      }
    }

    /** Why the text fed so far cannot be stored, or empty when it can. */
    public Optional<String> problem() {
      if (nul >= 0) {
        return Optional.of(
            "contains U+0000 (NUL) at character " + nul + ", which cannot be stored");
      }
      if (highAt >= 0) {
        unpaired(high, highAt);
      }
      if (unpairedAt < 0) {
        return Optional.empty();
      }
      return Optional.of(
          "contains an unpaired surrogate (\\u%04X) at character %d, which is not valid Unicode"
              .formatted((int) unpaired, unpairedAt));
    }
  }
}
