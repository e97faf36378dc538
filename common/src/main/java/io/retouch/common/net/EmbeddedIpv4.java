package io.retouch.common.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The IPv4 addresses an IPv6 address carries, by the transition mechanisms that route to them: a
 * packet to such an address ends up at the IPv4 host, so that host is what the policy must judge.
 * (IPv4-mapped and IPv4-compatible forms need no rule here: the registries refuse them outright.)
 */
public final class EmbeddedIpv4 {

  /** One carried address and the mechanism that carries it. */
  public record Carried(String mechanism, Inet4Address address) {}

  private static final AddressBlock NAT64 = AddressBlock.parse("64:ff9b::/96");
  private static final AddressBlock SIX_TO_FOUR = AddressBlock.parse("2002::/16");
  private static final AddressBlock TEREDO = AddressBlock.parse("2001::/32");

  private EmbeddedIpv4() {}

  public static List<Carried> of(InetAddress address) {
    List<Carried> carried = new ArrayList<>();
    if (!(address instanceof Inet6Address)) {
      return carried;
    }
    byte[] b = address.getAddress();
    if (NAT64.contains(address)) {
      // RFC 6052: the well-known prefix carries the IPv4 address in the last 32 bits
      carried.add(new Carried("NAT64", v4(b[12], b[13], b[14], b[15])));
    }
    if (SIX_TO_FOUR.contains(address)) {
      // RFC 3056: 2002:AABB:CCDD::/48 is the site behind the 6to4 router at AA.BB.CC.DD
      carried.add(new Carried("6to4", v4(b[2], b[3], b[4], b[5])));
    }
    if (TEREDO.contains(address)) {
      // RFC 4380 §4: the server's address in bits 32-63, the client's inverted in the last 32
      carried.add(new Carried("Teredo server", v4(b[4], b[5], b[6], b[7])));
      carried.add(
          new Carried(
              "Teredo client", v4((byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15])));
    }
    if ((b[8] & 0xFD) == 0 && b[9] == 0 && (b[10] & 0xFF) == 0x5E && (b[11] & 0xFF) == 0xFE) {
      // RFC 5214 §6.1: an ISATAP interface identifier (00-00-5E-FE or 02-00-5E-FE) and its IPv4
      carried.add(new Carried("ISATAP", v4(b[12], b[13], b[14], b[15])));
    }
    return carried;
  }

  private static Inet4Address v4(byte a, byte b, byte c, byte d) {
    try {
      return (Inet4Address) InetAddress.getByAddress(new byte[] {a, b, c, d});
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }
}
