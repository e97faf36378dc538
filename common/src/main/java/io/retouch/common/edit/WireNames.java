package io.retouch.common.edit;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The lower-case names request enums have on the wire ({@code XHIGH} is {@code xhigh}). */
public final class WireNames {

  private WireNames() {}

  public static String of(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String value) {
    return Arrays.stream(type.getEnumConstants()).filter(e -> of(e).equals(value)).findFirst();
  }
}
