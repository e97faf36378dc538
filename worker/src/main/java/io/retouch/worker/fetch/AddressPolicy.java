package io.retouch.worker.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Which resolved addresses a URL input may point at. Public unicast only, unless private networks
 * are allowed: otherwise a client could make the worker read internal services (cloud metadata at
 * 169.254.169.254, databases, admin consoles).
 */
public final class AddressPolicy {

  private final boolean allowPrivateNetworks;

  public AddressPolicy(boolean allowPrivateNetworks) {
    this.allowPrivateNetworks = allowPrivateNetworks;
  }

  /**
   * @return why the address is refused, or empty when it is allowed
   */
  public Optional<String> refusal(InetAddress address) {
    if (allowPrivateNetworks) {
      return Optional.empty();
    }
    InetAddress effective = unmapped(address);
    if (effective.isAnyLocalAddress()) {
      return Optional.of("unspecified address");
    }
    if (effective.isLoopbackAddress()) {
      return Optional.of("loopback address");
    }
    if (effective.isLinkLocalAddress()) {
      return Optional.of("link-local address");
    }
    if (effective.isMulticastAddress()) {
      return Optional.of("multicast address");
    }
    if (effective.isSiteLocalAddress() || isPrivate(effective)) {
      return Optional.of("private address");
    }
    return Optional.empty();
  }

  private static boolean isPrivate(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xFF;
      int second = b[1] & 0xFF;
      return first == 0 // "this network"
          || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
          || (first == 192 && second == 0 && (b[2] & 0xFF) == 0) // IETF protocol assignments
          || (first == 198 && (second == 18 || second == 19)) // benchmarking
          || first >= 240; // reserved and broadcast
    }
    return (b[0] & 0xFE) == 0xFC; // unique local fc00::/7
  }

  /** IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) are judged as the IPv4 address they carry. */
  private static InetAddress unmapped(InetAddress address) {
    if (address instanceof Inet6Address) {
      byte[] b = address.getAddress();
      boolean mapped = true;
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      mapped &= (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
      if (mapped) {
        try {
          return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (java.net.UnknownHostException e) {
          return address;
        }
      }
    }
    return address;
  }
}
