package io.retouch.worker.fetch;

import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.PermanentFailure;
import io.retouch.common.job.TransientFailure;
import io.retouch.common.net.AddressPolicy;
import io.retouch.worker.net.PolicedDns;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Fetches URL inputs under the fetch policy: http and https only; every address the host resolves
 * to must pass the {@link AddressPolicy}; redirects are followed by hand so each hop is checked
 * again; the body is cut off past {@code maxBytes}; connecting is bounded by {@code connectTimeout}
 * and the whole fetch, every hop's headers and body included, by {@code timeout}.
 *
 * <p>The policy is enforced where the HTTP client resolves the host for its connection, so the
 * addresses checked are the addresses connected to: a DNS answer that changes between a check and
 * the connection (DNS rebinding) cannot steer a request inside. A check before each hop only gives
 * the refusal a clearer message.
 */
public final class SafeUrlFetcher {

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final OkHttpClient http;
  private final PolicedDns.Policy policy;
  private final PolicedDns.Resolver resolver;
  private final FetchProperties props;

  public SafeUrlFetcher(FetchProperties props) {
    this(
        props, InetAddress::getAllByName, new AddressPolicy(props.allowPrivateNetworks())::refusal);
  }

  SafeUrlFetcher(FetchProperties props, PolicedDns.Resolver resolver, PolicedDns.Policy policy) {
    this.props = props;
    this.policy = policy;
    this.resolver = resolver;
    this.http =
        new OkHttpClient.Builder()
            .dns(new PolicedDns(resolver, policy))
            // a proxy would resolve the host itself, out of the policy's reach
            .proxy(Proxy.NO_PROXY)
            .followRedirects(false)
            .followSslRedirects(false)
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
      Call call = http.newCall(request(current));
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw timedOut(current, null);
      }
      // the call timeout spans connecting, the answer and reading the body to its end
      call.timeout().timeout(remaining, TimeUnit.NANOSECONDS);
      try (Response response = call.execute()) {
        int status = response.code();
        if (REDIRECTS.contains(status)) {
          current = redirectTarget(uri, current, response.header("Location"));
          continue;
        }
        if (status == 408 || status == 429 || status >= 500) {
          throw new TransientFailure(
              ErrorCode.INPUT_FETCH_FAILED, shown(current) + " answered " + status, null);
        }
        if (status < 200 || status >= 300) {
          throw new PermanentFailure(
              ErrorCode.INPUT_FETCH_FAILED, shown(current) + " answered " + status);
        }
        return body(current, response.body());
      } catch (PolicedDns.RefusedAddress e) {
        throw refused(current, e.address(), e.reason());
      } catch (IOException e) {
        throw System.nanoTime() >= deadline ? timedOut(current, e) : failed(current, e);
      }
    }
    throw new PermanentFailure(
        ErrorCode.INPUT_FETCH_FAILED,
        shown(uri) + " redirected more than " + props.maxRedirects() + " times");
  }

  private static Request request(URI uri) {
    try {
      return new Request.Builder()
          .url(uri.toString())
          .header("Accept", "image/png, image/jpeg, image/webp")
          .header("User-Agent", "Retouch/1 (image fetch)")
          .get()
          .build();
    } catch (IllegalArgumentException e) {
      throw new PermanentFailure(
          ErrorCode.INPUT_FETCH_REFUSED, shown(uri) + " is not a valid URL", e);
    }
  }

  private static URI redirectTarget(URI original, URI current, String location) {
    if (location == null) {
      throw new PermanentFailure(
          ErrorCode.INPUT_FETCH_FAILED, original + " redirected without a Location");
    }
    URI target;
    try {
      target = current.resolve(location);
    } catch (IllegalArgumentException e) {
      throw new PermanentFailure(
          ErrorCode.INPUT_FETCH_FAILED, shown(original) + " redirected to an invalid Location", e);
    }
    if (target.getRawUserInfo() != null) {
      throw new PermanentFailure(
          ErrorCode.INPUT_FETCH_REFUSED,
          shown(original)
              + " redirected to a URL with a user name or password, which is not followed");
    }
    return target;
  }

  /**
   * A URL as job errors may show it: without user-info, which the API refuses but a stored job from
   * before that rule, or a redirect, could carry.
   */
  static String shown(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri.toString();
    }
    try {
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
          .toString();
    } catch (java.net.URISyntaxException e) {
      return uri.getScheme() + "://" + uri.getHost();
    }
  }

  /** Scheme and host, and an early look at the addresses for a refusal with a clear message. */
  private void check(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new PermanentFailure(
          ErrorCode.INPUT_FETCH_REFUSED, shown(uri) + " is not an http or https URL");
    }
    if (uri.getHost() == null) {
      throw new PermanentFailure(ErrorCode.INPUT_FETCH_REFUSED, shown(uri) + " has no host");
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(uri.getHost());
    } catch (UnknownHostException e) {
      throw new PermanentFailure(
          ErrorCode.INPUT_FETCH_FAILED, "cannot resolve the host of " + shown(uri), e);
    }
    for (InetAddress address : addresses) {
      Optional<String> refusal = policy.refusal(address);
      if (refusal.isPresent()) {
        throw refused(uri, address, refusal.get());
      }
    }
  }

  /**
   * Reads a success's body, refusing one that declares or turns out to be over {@code maxBytes}.
   */
  private byte[] body(URI uri, ResponseBody body) throws IOException {
    if (body.contentLength() > props.maxBytes()) {
      throw tooLarge(uri);
    }
    try (InputStream in = body.byteStream()) {
      byte[] bytes = in.readNBytes((int) Math.min(props.maxBytes() + 1, Integer.MAX_VALUE - 8));
      if (bytes.length > props.maxBytes()) {
        throw tooLarge(uri);
      }
      return bytes;
    }
  }

  private static PermanentFailure refused(URI uri, InetAddress address, String reason) {
    return new PermanentFailure(
        ErrorCode.INPUT_FETCH_REFUSED,
        "%s resolves to %s, a %s; URL inputs must be on public networks"
            .formatted(shown(uri), address.getHostAddress(), reason));
  }

  private TransientFailure timedOut(URI uri, Exception cause) {
    return new TransientFailure(
        ErrorCode.INPUT_FETCH_FAILED,
        "%s timed out: the fetch took longer than its limit of %s"
            .formatted(shown(uri), readable(props.timeout())),
        cause);
  }

  private TransientFailure failed(URI uri, IOException cause) {
    if (cause instanceof SocketTimeoutException
        && String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains("connect")) {
      return new TransientFailure(
          ErrorCode.INPUT_FETCH_FAILED,
          "%s timed out: no connection within %s"
              .formatted(shown(uri), readable(props.connectTimeout())),
          cause);
    }
    if (cause instanceof InterruptedIOException) {
      return timedOut(uri, cause);
    }
    return new TransientFailure(
        ErrorCode.INPUT_FETCH_FAILED,
        "cannot fetch " + shown(uri) + ": " + cause.getMessage(),
        cause);
  }

  /** 30s, 1m30s, 0.5s rather than PT30S. */
  private static String readable(Duration duration) {
    return duration.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  private PermanentFailure tooLarge(URI uri) {
    return new PermanentFailure(
        ErrorCode.INPUT_FETCH_FAILED,
        shown(uri) + " is larger than " + props.maxBytes() + " bytes");
  }
}
