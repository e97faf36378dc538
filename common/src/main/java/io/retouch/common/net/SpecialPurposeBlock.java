package io.retouch.common.net;

/**
 * One row of the special-purpose address registries Retouch follows (see {@code
 * special-purpose-addresses.csv} for the sources and their date).
 */
public record SpecialPurposeBlock(
    String registry, AddressBlock block, Reachability reachable, String name, String rfc) {

  /** The registries' "Globally Reachable" column. */
  public enum Reachability {
    /** Reachable from anywhere; allowed unless the block embeds an IPv4 address that is not. */
    TRUE,
    FALSE,
    /** The registry's N/A: reachability is that of the IPv4 address the block embeds. */
    NOT_APPLICABLE,
    /** The allocation ended; nothing should be there. */
    TERMINATED;

    static Reachability parse(String value) {
      return switch (value) {
        case "true" -> TRUE;
        case "false" -> FALSE;
        case "n/a" -> NOT_APPLICABLE;
        case "terminated" -> TERMINATED;
        default -> throw new IllegalArgumentException("unknown reachability: " + value);
      };
    }
  }

  /** "Private-Use address (10.0.0.0/8, RFC1918)". */
  public String describe() {
    return "%s address (%s, %s)".formatted(name, block, rfc);
  }
}
