package io.retouch.worker.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

  private final AddressPolicy strict = new AddressPolicy(false);
  private final AddressPolicy open = new AddressPolicy(true);

  @ParameterizedTest(name = "{0} is refused as {1}")
  @CsvSource({
    "127.0.0.1, loopback address",
    "127.8.9.10, loopback address",
    "::1, loopback address",
    "10.1.2.3, private address",
    "172.16.0.1, private address",
    "172.31.255.255, private address",
    "192.168.1.1, private address",
    "100.64.0.1, private address",
    "fc00::1, private address",
    "fd12:3456::1, private address",
    "169.254.169.254, link-local address",
    "fe80::1, link-local address",
    "224.0.0.1, multicast address",
    "ff02::1, multicast address",
    "0.0.0.0, unspecified address",
    "::, unspecified address",
    "::ffff:10.0.0.1, private address",
    "::ffff:127.0.0.1, loopback address",
    "255.255.255.255, private address"
  })
  void internal_addresses_are_refused(String address, String reason) throws UnknownHostException {
    assertThat(strict.refusal(InetAddress.getByName(address))).contains(reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111"})
  void public_addresses_are_allowed(String address) throws UnknownHostException {
    assertThat(strict.refusal(InetAddress.getByName(address))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "169.254.169.254"})
  void allowing_private_networks_allows_everything(String address) throws UnknownHostException {
    assertThat(open.refusal(InetAddress.getByName(address))).isEmpty();
  }
}
