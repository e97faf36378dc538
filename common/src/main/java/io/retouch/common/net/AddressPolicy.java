package io.retouch.common.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which addresses Retouch may connect to on a client's behalf (URL inputs, webhook deliveries):
 * globally reachable ones only, as the IANA special-purpose registries define them, so a client
 * cannot make Retouch read cloud metadata (169.254.169.254), internal services or anything on the
 * operator's own networks. An IPv6 address that carries an IPv4 address (NAT64, 6to4, Teredo,
 * ISATAP) is also judged by the IPv4 address it carries. Addresses outside every listed block are
 * ordinary public unicast and allowed.
 */
public final class AddressPolicy {

  private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9]+(\\.[0-9]+){3}");

  private final boolean allowPrivateNetworks;
  private final SpecialPurposeRegistry registry;

  /**
   * @param allowPrivateNetworks allow every address (tests, closed networks)
   */
  public AddressPolicy(boolean allowPrivateNetworks) {
    this(allowPrivateNetworks, SpecialPurposeRegistry.iana());
  }

  AddressPolicy(boolean allowPrivateNetworks, SpecialPurposeRegistry registry) {
    this.allowPrivateNetworks = allowPrivateNetworks;
    this.registry = registry;
  }

  /**
   * Judges a URL host without resolving it: an address literal ({@code 10.0.0.1}, {@code [::1]}) is
   * judged as {@link #refusal} does; a host name is left to the connection, which judges every
   * address it resolves to.
   *
   * @return why the literal is refused, or empty for allowed literals and for host names
   */
  public Optional<String> literalRefusal(String host) {
    if (host == null) {
      return Optional.empty();
    }
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    boolean literal = bare.contains(":") || IPV4_LITERAL.matcher(bare).matches();
    if (!literal) {
      return Optional.empty();
    }
    try {
      // a literal is parsed, never looked up (an invalid IPv6 one is an UnknownHostException)
      return refusal(InetAddress.getByName(bare));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /**
   * @return why the address is refused ("a Loopback address (127.0.0.0/8, RFC1122)"), or empty
   */
  public Optional<String> refusal(InetAddress address) {
    if (allowPrivateNetworks) {
      return Optional.empty();
    }
    Optional<SpecialPurposeBlock> block = registry.match(address);
    if (block.isPresent()) {
      switch (block.get().reachable()) {
        case FALSE, TERMINATED -> {
          return Optional.of(block.get().describe());
        }
        case TRUE, NOT_APPLICABLE -> {}
      }
    }
    for (EmbeddedIpv4.Carried carried : EmbeddedIpv4.of(address)) {
      Optional<String> inner = refusal(carried.address());
      if (inner.isPresent()) {
        return Optional.of(
            "%s address carrying %s, a %s"
                .formatted(carried.mechanism(), carried.address().getHostAddress(), inner.get()));
      }
    }
    return Optional.empty();
  }
}
