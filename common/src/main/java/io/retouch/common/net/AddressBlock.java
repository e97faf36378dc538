package io.retouch.common.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A CIDR block ({@code 10.0.0.0/8}, {@code 64:ff9b::/96}), parsed from its literal form only:
 * nothing here resolves a name.
 */
public record AddressBlock(String text, byte[] prefix, int bits) {

  public static AddressBlock parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a CIDR block: " + cidr);
    }
    String literal = cidr.substring(0, slash);
    int bits = Integer.parseInt(cidr.substring(slash + 1));
    byte[] prefix = literalBytes(literal);
    if (bits < 0 || bits > prefix.length * 8) {
      throw new IllegalArgumentException("prefix length out of range: " + cidr);
    }
    return new AddressBlock(cidr, prefix, bits);
  }

  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length != prefix.length) {
      return false;
    }
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xFF << (8 - rest) & 0xFF;
    return (bytes[full] & mask) == (prefix[full] & mask);
  }

  /**
   * The bytes of an address literal. Java turns IPv4-mapped IPv6 literals ({@code ::ffff:0:0}) into
   * IPv4 addresses; a block written in IPv6 form keeps its 16 bytes.
   */
  private static byte[] literalBytes(String literal) {
    if (!literal.matches("[0-9A-Fa-f:.]+")) {
      throw new IllegalArgumentException("not an address literal: " + literal);
    }
    try {
      InetAddress address = InetAddress.getByName(literal);
      if (literal.contains(":") && address instanceof Inet4Address v4) {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(v4.getAddress(), 0, mapped, 12, 4);
        return mapped;
      }
      return address.getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address literal: " + literal, e);
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
