package io.retouch.worker.fetch;

import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.PermanentFailure;
import io.retouch.common.job.TransientFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches URL inputs under the fetch policy: http and https only; every address the host resolves
 * to must pass the {@link AddressPolicy}; redirects are followed by hand so each hop is checked
 * again; the body is cut off past {@code maxBytes}; connecting is bounded by {@code connectTimeout}
 * and the whole fetch, every hop's headers and body included, by {@code timeout}.
 *
 * <p>The host is resolved for the check and again by the HTTP client, so a DNS server that answers
 * differently within that moment could still steer a request; closing that gap needs an egress
 * proxy, which is how to run this where it matters.
 */
public final class SafeUrlFetcher {

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  /** Resolves host names; a seam so tests can control DNS. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final HttpClient http;
  private final AddressPolicy policy;
  private final Resolver resolver;
  private final FetchProperties props;

  public SafeUrlFetcher(FetchProperties props) {
    this(props, InetAddress::getAllByName);
  }

  public SafeUrlFetcher(FetchProperties props, Resolver resolver) {
    this.props = props;
    this.policy = new AddressPolicy(props.allowPrivateNetworks());
    this.resolver = resolver;
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(props.connectTimeout())
            .build();
  }

  /**
   * @throws PermanentFailure {@link ErrorCode#INPUT_FETCH_REFUSED} for URLs the policy forbids,
   *     {@link ErrorCode#INPUT_FETCH_FAILED} for answers another try would repeat
   * @throws TransientFailure for timeouts, I/O errors and 408/429/5xx answers
   */
  public byte[] fetch(URI uri) {
    long deadline = System.nanoTime() + props.timeout().toNanos();
    URI current = uri;
    for (int hop = 0; hop <= props.maxRedirects(); hop++) {
      check(current);
      HttpResponse<Optional<byte[]>> response = send(current, deadline);
      int status = response.statusCode();
      if (REDIRECTS.contains(status)) {
        Optional<String> location = response.headers().firstValue("Location");
        if (location.isEmpty()) {
          throw new PermanentFailure(
              ErrorCode.INPUT_FETCH_FAILED, uri + " redirected without a Location");
        }
        current = current.resolve(location.get());
        continue;
      }
      if (status == 408 || status == 429 || status >= 500) {
        throw new TransientFailure(
            ErrorCode.INPUT_FETCH_FAILED, current + " answered " + status, null);
      }
      if (status >= 300) {
        throw new PermanentFailure(ErrorCode.INPUT_FETCH_FAILED, current + " answered " + status);
      }
      URI fetched = current;
      return response.body().orElseThrow(() -> tooLarge(fetched));
    }
    throw new PermanentFailure(
        ErrorCode.INPUT_FETCH_FAILED,
        uri + " redirected more than " + props.maxRedirects() + " times");
  }

  private void check(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new PermanentFailure(
          ErrorCode.INPUT_FETCH_REFUSED, uri + " is not an http or https URL");
    }
    if (uri.getHost() == null) {
      throw new PermanentFailure(ErrorCode.INPUT_FETCH_REFUSED, uri + " has no host");
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(uri.getHost());
    } catch (UnknownHostException e) {
      throw new PermanentFailure(
          ErrorCode.INPUT_FETCH_FAILED, "cannot resolve the host of " + uri, e);
    }
    for (InetAddress address : addresses) {
      Optional<String> refusal = policy.refusal(address);
      if (refusal.isPresent()) {
        throw new PermanentFailure(
            ErrorCode.INPUT_FETCH_REFUSED,
            "%s resolves to %s, a %s; URL inputs must be on public networks"
                .formatted(uri, address.getHostAddress(), refusal.get()));
      }
    }
  }

  /**
   * One hop, headers and body, within what is left until {@code deadline}. The request's own
   * timeout ends when the headers arrive, so a body dripped slowly is cut off here instead:
   * cancelling the exchange closes its connection.
   */
  private HttpResponse<Optional<byte[]>> send(URI uri, long deadline) {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw timedOut(uri, null);
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofNanos(remaining))
            .header("Accept", "image/png, image/jpeg, image/webp")
            .header("User-Agent", "Retouch/1 (image fetch)")
            .GET()
            .build();
    CompletableFuture<HttpResponse<Optional<byte[]>>> exchange =
        http.sendAsync(request, this::body);
    try {
      return exchange.get(remaining, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw timedOut(uri, e);
    } catch (ExecutionException e) {
      throw failed(uri, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientFailure(ErrorCode.INPUT_FETCH_FAILED, "interrupted fetching " + uri, e);
    } finally {
      exchange.cancel(true);
    }
  }

  /** Only a success's body is read, and only while it stays within {@code maxBytes}. */
  private HttpResponse.BodySubscriber<Optional<byte[]>> body(HttpResponse.ResponseInfo info) {
    boolean success = info.statusCode() >= 200 && info.statusCode() < 300;
    long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
    return success && declared <= props.maxBytes()
        ? new CappedBody(props.maxBytes())
        : CappedBody.discarded();
  }

  private TransientFailure timedOut(URI uri, Exception cause) {
    return new TransientFailure(
        ErrorCode.INPUT_FETCH_FAILED,
        "%s timed out: the fetch took longer than its limit of %s"
            .formatted(uri, readable(props.timeout())),
        cause);
  }

  private RuntimeException failed(URI uri, Throwable cause) {
    return switch (cause) {
      case HttpConnectTimeoutException e ->
          new TransientFailure(
              ErrorCode.INPUT_FETCH_FAILED,
              "%s timed out: no connection within %s"
                  .formatted(uri, readable(props.connectTimeout())),
              e);
      case HttpTimeoutException e -> timedOut(uri, e);
      case IOException e ->
          new TransientFailure(
              ErrorCode.INPUT_FETCH_FAILED, "cannot fetch " + uri + ": " + e.getMessage(), e);
      case RuntimeException e -> e;
      case Error e -> throw e;
      default -> new IllegalStateException("fetching " + uri + " failed", cause);
    };
  }

  /** 30s, 1m30s, 0.5s rather than PT30S. */
  private static String readable(Duration duration) {
    return duration.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  private PermanentFailure tooLarge(URI uri) {
    return new PermanentFailure(
        ErrorCode.INPUT_FETCH_FAILED, uri + " is larger than " + props.maxBytes() + " bytes");
  }
}
