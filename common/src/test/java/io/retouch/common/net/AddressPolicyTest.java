package io.retouch.common.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every row of the IANA special-purpose registries (2025-10-09), decided as the registry says, at
 * the edges of each block and just outside them. All addresses are literals: nothing is resolved
 * and nothing is connected to.
 */
class AddressPolicyTest {

  private final AddressPolicy strict = new AddressPolicy(false);

  /** address, and "allowed" or the text the refusal must contain. */
  static final String[][] TABLE = {
    // IPv4 Special-Purpose Address Registry
    {"0.0.0.0", "This host on this network address (0.0.0.0/32"},
    {"0.0.0.1", "This network address (0.0.0.0/8"},
    {"0.255.255.255", "This network address (0.0.0.0/8"},
    {"10.0.0.0", "Private-Use address (10.0.0.0/8, RFC1918)"},
    {"10.255.255.255", "Private-Use address (10.0.0.0/8"},
    {"100.63.255.255", "allowed"},
    {"100.64.0.0", "Shared Address Space address (100.64.0.0/10"},
    {"100.127.255.255", "Shared Address Space"},
    {"100.128.0.0", "allowed"},
    {"127.0.0.1", "Loopback address (127.0.0.0/8"},
    {"127.255.255.255", "Loopback"},
    {"169.254.0.0", "Link Local address (169.254.0.0/16"},
    {"169.254.169.254", "Link Local"},
    {"169.254.255.255", "Link Local"},
    {"172.15.255.255", "allowed"},
    {"172.16.0.0", "Private-Use address (172.16.0.0/12"},
    {"172.31.255.255", "Private-Use address (172.16.0.0/12"},
    {"172.32.0.0", "allowed"},
    {"192.0.0.0", "IPv4 Service Continuity Prefix address (192.0.0.0/29"},
    {"192.0.0.7", "IPv4 Service Continuity Prefix"},
    {"192.0.0.8", "IPv4 dummy address address (192.0.0.8/32"},
    {"192.0.0.9", "allowed"},
    {"192.0.0.10", "allowed"},
    {"192.0.0.11", "IETF Protocol Assignments address (192.0.0.0/24"},
    {"192.0.0.170", "NAT64/DNS64 Discovery address (192.0.0.170/32"},
    {"192.0.0.171", "NAT64/DNS64 Discovery address (192.0.0.171/32"},
    {"192.0.0.255", "IETF Protocol Assignments"},
    {"192.0.2.0", "Documentation (TEST-NET-1) address (192.0.2.0/24"},
    {"192.0.2.255", "Documentation (TEST-NET-1)"},
    {"192.31.196.1", "allowed"},
    {"192.52.193.1", "allowed"},
    {"192.88.99.1", "Deprecated (6to4 Relay Anycast) address (192.88.99.0/24"},
    {"192.88.99.2", "6a44-relay anycast address address (192.88.99.2/32"},
    {"192.168.0.0", "Private-Use address (192.168.0.0/16"},
    {"192.168.255.255", "Private-Use"},
    {"192.175.48.1", "allowed"},
    {"198.17.255.255", "allowed"},
    {"198.18.0.0", "Benchmarking address (198.18.0.0/15"},
    {"198.19.255.255", "Benchmarking"},
    {"198.20.0.0", "allowed"},
    {"198.51.100.0", "Documentation (TEST-NET-2) address (198.51.100.0/24"},
    {"198.51.100.255", "Documentation (TEST-NET-2)"},
    {"203.0.113.0", "Documentation (TEST-NET-3) address (203.0.113.0/24"},
    {"203.0.113.255", "Documentation (TEST-NET-3)"},
    {"240.0.0.0", "Reserved address (240.0.0.0/4"},
    {"255.255.255.254", "Reserved"},
    {"255.255.255.255", "Limited Broadcast address (255.255.255.255/32"},
    // IPv4 Address Space Registry: multicast
    {"224.0.0.1", "Multicast address (224.0.0.0/4"},
    {"239.255.255.255", "Multicast"},
    {"223.255.255.255", "allowed"},
    {"8.8.8.8", "allowed"},
    {"93.184.216.34", "allowed"},
    // IPv6 Special-Purpose Address Registry
    {"::1", "Loopback Address address (::1/128"},
    {"::", "Unspecified Address address (::/128"},
    {"::ffff:127.0.0.1", "Loopback address (127.0.0.0/8"}, // Java reads it as IPv4
    {"64:ff9b::8.8.8.8", "allowed"},
    {"64:ff9b::a9fe:a9fe", "NAT64 address carrying 169.254.169.254, a Link Local address"},
    {"64:ff9b::127.0.0.1", "NAT64 address carrying 127.0.0.1, a Loopback"},
    {"64:ff9b::10.1.2.3", "NAT64 address carrying 10.1.2.3, a Private-Use"},
    {"64:ff9b:1::1", "IPv4-IPv6 Translat. address (64:ff9b:1::/48, RFC8215)"},
    {"100::1", "Discard-Only Address Block address (100::/64"},
    {"100:0:0:1::1", "Dummy IPv6 Prefix address (100:0:0:1::/64"},
    {"2001:1::4", "IETF Protocol Assignments address (2001::/23"},
    {"2001:1ff:ffff:ffff::", "IETF Protocol Assignments"},
    {"2001:200::1", "allowed"},
    // Teredo: server 65.54.227.120, client 8.8.8.8 / 192.0.2.45 (stored inverted)
    {"2001:0:4136:e378:8000:63bf:f7f7:f7f7", "allowed"},
    {"2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo client address carrying 192.0.2.45"},
    {"2001:0:7f00:1:8000:63bf:f7f7:f7f7", "Teredo server address carrying 127.0.0.1"},
    {"2001:1::1", "allowed"},
    {"2001:1::2", "allowed"},
    {"2001:1::3", "allowed"},
    {"2001:2::1", "Benchmarking address (2001:2::/48"},
    {"2001:3::1", "allowed"},
    {"2001:4:112::1", "allowed"},
    {"2001:10::1", "Deprecated (previously ORCHID) address (2001:10::/28"},
    {"2001:20::1", "allowed"},
    {"2001:30::1", "allowed"},
    {"2001:db8::1", "Documentation address (2001:db8::/32"},
    {"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "Documentation"},
    {"2002:808:808::1", "allowed"},
    {"2002:a9fe:a9fe::1", "6to4 address carrying 169.254.169.254, a Link Local"},
    {"2002:c000:204::1", "6to4 address carrying 192.0.2.4, a Documentation (TEST-NET-1)"},
    {"2620:4f:8000::1", "allowed"},
    {"3fff::1", "Documentation address (3fff::/20"},
    {"3fff:fff:ffff::1", "Documentation"},
    {"5f00::1", "Segment Routing (SRv6) SIDs address (5f00::/16"},
    {"fc00::1", "Unique-Local address (fc00::/7"},
    {"fdff:ffff::1", "Unique-Local"},
    {"fe80::1", "Link-Local Unicast address (fe80::/10"},
    {"febf::1", "Link-Local Unicast"},
    // IPv6 Address Space Registry: everything outside 2000::/3 is reserved, local or multicast
    {"::8.8.8.8", "Reserved by IETF address (::/8"}, // deprecated IPv4-compatible form
    {"1ff::1", "Reserved by IETF address (100::/8"},
    {"200::1", "Reserved by IETF address (200::/7"},
    {"400::1", "Reserved by IETF address (400::/6"},
    {"800::1", "Reserved by IETF address (800::/5"},
    {"1000::1", "Reserved by IETF address (1000::/4"},
    {"4000::1", "Reserved by IETF address (4000::/3"},
    {"6000::1", "Reserved by IETF address (6000::/3"},
    {"8000::1", "Reserved by IETF address (8000::/3"},
    {"a000::1", "Reserved by IETF address (a000::/3"},
    {"c000::1", "Reserved by IETF address (c000::/3"},
    {"e000::1", "Reserved by IETF address (e000::/4"},
    {"f000::1", "Reserved by IETF address (f000::/5"},
    {"f800::1", "Reserved by IETF address (f800::/6"},
    {"fe00::1", "Reserved by IETF address (fe00::/9"},
    {"fec0::1", "Reserved by IETF (formerly Site-Local) address (fec0::/10"},
    {"ff02::1", "Multicast address (ff00::/8"},
    {"2000::1", "allowed"},
    {"3ffe:ffff::1", "allowed"},
    {"2606:4700::1111", "allowed"},
    // ISATAP interface identifiers carry an IPv4 address anywhere in global unicast
    {"2001:4860::5efe:10.0.0.1", "ISATAP address carrying 10.0.0.1, a Private-Use"},
    {"2001:4860::200:5efe:8.8.8.8", "allowed"},
  };

  static Object[][] table() {
    return TABLE;
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("table")
  void each_address_is_decided_as_the_registries_say(String literal, String expected)
      throws UnknownHostException {
    Optional<String> refusal = strict.refusal(InetAddress.getByName(literal));
    if (expected.equals("allowed")) {
      assertThat(refusal).isEmpty();
    } else {
      assertThat(refusal).hasValueSatisfying(r -> assertThat(r).contains(expected));
    }
  }

  @Test
  void the_table_reaches_every_row_of_the_registry_file() throws UnknownHostException {
    SpecialPurposeRegistry registry = SpecialPurposeRegistry.iana();
    Set<String> reached = new HashSet<>();
    for (String[] row : TABLE) {
      registry.match(InetAddress.getByName(row[0])).ifPresent(b -> reached.add(b.block().text()));
    }
    reached.add("::ffff:0:0/96"); // Java turns the literal into IPv4; see the next test
    Set<String> rows =
        registry.blocks().stream().map(b -> b.block().text()).collect(Collectors.toSet());
    assertThat(reached).containsAll(rows);
    assertThat(rows).hasSize(69);
  }

  @Test
  void an_ipv4_mapped_address_kept_as_ipv6_is_refused_as_the_registry_says() throws Exception {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xFF;
    mapped[11] = (byte) 0xFF;
    System.arraycopy(new byte[] {8, 8, 8, 8}, 0, mapped, 12, 4);
    InetAddress address = Inet6Address.getByAddress(null, mapped, -1);
    assertThat(address).isInstanceOf(Inet6Address.class);
    assertThat(strict.refusal(address))
        .hasValueSatisfying(r -> assertThat(r).contains("IPv4-mapped"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "169.254.169.254", "::1", "64:ff9b::a9fe:a9fe"})
  void allowing_private_networks_allows_everything(String literal) throws UnknownHostException {
    assertThat(new AddressPolicy(true).refusal(InetAddress.getByName(literal))).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/8, 10.255.0.1, true",
    "10.0.0.0/8, 11.0.0.0, false",
    "fe80::/10, febf::, true",
    "fe80::/10, fec0::, false",
    "192.0.0.9/32, 192.0.0.9, true",
    "::/0, 1.2.3.4, false"
  })
  void blocks_contain_their_addresses_by_prefix(String block, String address, boolean inside)
      throws UnknownHostException {
    assertThat(AddressBlock.parse(block).contains(InetAddress.getByName(address)))
        .isEqualTo(inside);
  }

  @Test
  void block_literals_are_never_resolved() {
    assertThat(Arrays.asList("example.com/8", "10.0.0.0", "10.0.0.0/33"))
        .allSatisfy(
            text ->
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> AddressBlock.parse(text))
                    .isInstanceOf(IllegalArgumentException.class));
  }
}
