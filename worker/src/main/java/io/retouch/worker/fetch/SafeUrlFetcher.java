package io.retouch.worker.fetch;

import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.PermanentFailure;
import io.retouch.common.job.TransientFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Fetches URL inputs under the fetch policy: http and https only; every address the host resolves
 * to must pass the {@link AddressPolicy}; redirects are followed by hand so each hop is checked
 * again; the body is cut off past {@code maxBytes}; connect and read time are bounded.
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
    URI current = uri;
    for (int hop = 0; hop <= props.maxRedirects(); hop++) {
      check(current);
      HttpResponse<InputStream> response = send(current);
      int status = response.statusCode();
      if (REDIRECTS.contains(status)) {
        Optional<String> location = response.headers().firstValue("Location");
        close(response);
        if (location.isEmpty()) {
          throw new PermanentFailure(
              ErrorCode.INPUT_FETCH_FAILED, uri + " redirected without a Location");
        }
        current = current.resolve(location.get());
        continue;
      }
      if (status == 408 || status == 429 || status >= 500) {
        close(response);
        throw new TransientFailure(
            ErrorCode.INPUT_FETCH_FAILED, current + " answered " + status, null);
      }
      if (status >= 300) {
        close(response);
        throw new PermanentFailure(ErrorCode.INPUT_FETCH_FAILED, current + " answered " + status);
      }
      return body(current, response);
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

  private HttpResponse<InputStream> send(URI uri) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(props.timeout())
            .header("Accept", "image/png, image/jpeg, image/webp")
            .header("User-Agent", "Retouch/1 (image fetch)")
            .GET()
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw new TransientFailure(ErrorCode.INPUT_FETCH_FAILED, uri + " timed out", e);
    } catch (IOException e) {
      throw new TransientFailure(
          ErrorCode.INPUT_FETCH_FAILED, "cannot fetch " + uri + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientFailure(ErrorCode.INPUT_FETCH_FAILED, "interrupted fetching " + uri, e);
    }
  }

  private byte[] body(URI uri, HttpResponse<InputStream> response) {
    long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (declared > props.maxBytes()) {
      close(response);
      throw tooLarge(uri);
    }
    try (InputStream in = response.body()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
        if (total > props.maxBytes()) {
          throw tooLarge(uri);
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new TransientFailure(
          ErrorCode.INPUT_FETCH_FAILED, "reading " + uri + " failed: " + e.getMessage(), e);
    }
  }

  private PermanentFailure tooLarge(URI uri) {
    return new PermanentFailure(
        ErrorCode.INPUT_FETCH_FAILED, uri + " is larger than " + props.maxBytes() + " bytes");
  }

  private static void close(HttpResponse<InputStream> response) {
    try {
      response.body().close();
    } catch (IOException e) {
      // nothing to do: the response is abandoned
    }
  }
}
