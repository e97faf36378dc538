package io.retouch.common.net;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Host names that resolvers read differently. A host whose last label is a number is an IPv4
 * address to the WHATWG URL parser, curl and glibc, and each accepts shorter or other-radix forms:
 * {@code 0177.0.0.1} is 177.0.0.1 to Java but 127.0.0.1 to curl, {@code 2130706433} and {@code
 * 127.1} are 127.0.0.1 to most. Only the canonical dotted quad means the same everywhere, so a
 * check on one reading cannot be bypassed through another.
 */
public final class HostSpelling {

  private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]*");
  private static final Pattern CANONICAL_PART = Pattern.compile("0|[1-9][0-9]{0,2}");

  private HostSpelling() {}

  /**
   * @param host a URL's host as {@link java.net.URI#getHost()} gives it (IPv6 in brackets)
   * @return why the host is ambiguous, or empty when every resolver reads it alike
   */
  public static Optional<String> ambiguity(String host) {
    if (host == null || host.startsWith("[")) {
      return Optional.empty();
    }
    boolean trailingDot = host.endsWith(".");
    String[] labels = (trailingDot ? host.substring(0, host.length() - 1) : host).split("\\.", -1);
    if (!NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()) {
      return Optional.empty();
    }
    boolean canonical = !trailingDot && labels.length == 4;
    for (String label : labels) {
      canonical &= CANONICAL_PART.matcher(label).matches() && Integer.parseInt(label) <= 255;
    }
    return canonical
        ? Optional.empty()
        : Optional.of(
            "the host "
                + host
                + " is an IPv4 address in a form resolvers read differently (leading zeros,"
                + " hexadecimal, fewer or more than four parts, or a trailing dot); write it as four"
                + " decimal numbers, such as 93.184.216.34");
  }
}
