package io.retouch.worker.net;

import io.retouch.common.net.AddressPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import okhttp3.Dns;

/**
 * The HTTP client's only way to resolve a host for calls made on a client's behalf (URL inputs,
 * webhook deliveries): every address must pass the {@link AddressPolicy}, so what the client
 * connects to is what was checked and a DNS answer that changes in between (DNS rebinding) cannot
 * steer a request inside. OkHttp does not resolve IP literals; callers judge those themselves.
 */
public final class PolicedDns implements Dns {

  /** Resolves host names; a seam so tests can control DNS. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** Why an address is refused, if it is; {@link AddressPolicy#refusal} in production. */
  @FunctionalInterface
  public interface Policy {
    Optional<String> refusal(InetAddress address);
  }

  private final Resolver resolver;
  private final Policy policy;

  public PolicedDns(Resolver resolver, Policy policy) {
    this.resolver = resolver;
    this.policy = policy;
  }

  @Override
  public List<InetAddress> lookup(String host) throws UnknownHostException {
    InetAddress[] addresses = resolver.resolve(host);
    for (InetAddress address : addresses) {
      Optional<String> refusal = policy.refusal(address);
      if (refusal.isPresent()) {
        throw new RefusedAddress(host, address, refusal.get());
      }
    }
    return List.of(addresses);
  }

  /**
   * A resolved address the policy refuses, thrown through the resolver hook: an {@link
   * UnknownHostException}, so OkHttp passes it up unchanged.
   */
  public static final class RefusedAddress extends UnknownHostException {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final transient InetAddress address;
    private final String reason;

    RefusedAddress(String host, InetAddress address, String reason) {
      super(host + " resolves to " + address.getHostAddress() + ", a " + reason);
      this.host = host;
      this.address = address;
      this.reason = reason;
    }

    public String host() {
      return host;
    }

    public InetAddress address() {
      return address;
    }

    /** The policy's reason ("a Loopback address (127.0.0.0/8, RFC1122)"). */
    public String reason() {
      return reason;
    }
  }
}
