package io.retouch.worker.webhook;

import io.retouch.common.net.AddressPolicy;
import io.retouch.common.net.RetryAfter;
import io.retouch.db.webhook.AttemptResult;
import io.retouch.db.webhook.DeliveryStore;
import io.retouch.worker.net.PolicedDns;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Sends one webhook request and says how it went. Redirects are never followed (a 3xx is a failure
 * that names its Location); every address a receiver's host resolves to must pass the {@link
 * AddressPolicy}, checked where the HTTP client resolves it, so a DNS answer cannot change between
 * the check and the connection; the whole attempt is bounded by the timeout.
 */
public final class WebhookSender {

  private static final MediaType JSON = MediaType.get("application/json");

  private final OkHttpClient http;
  private final AddressPolicy policy;
  private final Clock clock;
  private final Duration timeout;

  public WebhookSender(AddressPolicy policy, Duration timeout, Clock clock) {
    this(policy, timeout, clock, InetAddress::getAllByName);
  }

  WebhookSender(AddressPolicy policy, Duration timeout, Clock clock, PolicedDns.Resolver resolver) {
    this.policy = policy;
    this.clock = clock;
    this.timeout = timeout;
    this.http =
        new OkHttpClient.Builder()
            .dns(new PolicedDns(resolver, policy::refusal))
            // a proxy would resolve the host itself, out of the policy's reach
            .proxy(Proxy.NO_PROXY)
            .followRedirects(false)
            .followSslRedirects(false)
            // a kept-alive connection the receiver closed is retried on a fresh one (at least
            // once delivery: a repeat carries the same webhook-id)
            .retryOnConnectionFailure(true)
            .connectTimeout(timeout)
            .callTimeout(timeout)
            .build();
  }

  /**
   * @param headers the Standard Webhooks headers, signed for {@code body}
   */
  public AttemptResult send(URI url, Map<String, String> headers, byte[] body) {
    Optional<String> literal = policy.literalRefusal(url.getHost());
    if (literal.isPresent()) {
      return new AttemptResult.Refused(
          "%s is a %s; webhooks go to public addresses only"
              .formatted(url.getHost(), literal.get()));
    }
    Request.Builder request =
        new Request.Builder()
            .url(url.toString())
            .header("User-Agent", "Retouch-Webhooks/1")
            .post(RequestBody.create(body, JSON));
    headers.forEach(request::header);
    long started = System.nanoTime();
    try (Response response = http.newCall(request.build()).execute()) {
      Duration latency = Duration.ofNanos(System.nanoTime() - started);
      int status = response.code();
      String excerpt = excerpt(response.body());
      if (status >= 200 && status < 300) {
        return new AttemptResult.Delivered(status, latency, excerpt);
      }
      if (status == 410) {
        return new AttemptResult.Gone(latency, excerpt);
      }
      String error =
          status >= 300 && status < 400
              ? "answered %d, a redirect%s; redirects are not followed"
                  .formatted(
                      status,
                      Optional.ofNullable(response.header("Location"))
                          .map(l -> " to " + l)
                          .orElse(""))
              : "answered " + status;
      return new AttemptResult.Failed(
          Optional.of(status),
          error,
          latency,
          excerpt,
          RetryAfter.parse(response.header("Retry-After"), clock.instant()));
    } catch (PolicedDns.RefusedAddress e) {
      return new AttemptResult.Refused(
          "%s resolves to %s, a %s; webhooks go to public addresses only"
              .formatted(e.host(), e.address().getHostAddress(), e.reason()));
    } catch (IOException e) {
      Duration latency = Duration.ofNanos(System.nanoTime() - started);
      return new AttemptResult.Failed(
          Optional.empty(), describe(e), latency, null, Optional.empty());
    }
  }

  private String describe(IOException e) {
    if (e instanceof UnknownHostException) {
      return "cannot resolve the host: " + e.getMessage();
    }
    if (e instanceof ConnectException) {
      return "connection refused or unreachable: " + e.getMessage();
    }
    if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
      return "no answer within " + timeout.toSeconds() + " s";
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** The first {@link DeliveryStore#EXCERPT_CHARS} characters of the answer, for the log. */
  private static String excerpt(ResponseBody body) throws IOException {
    if (body == null) {
      return null;
    }
    try (InputStream in = body.byteStream()) {
      byte[] bytes = in.readNBytes(DeliveryStore.EXCERPT_CHARS * 4);
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE)
              .decode(ByteBuffer.wrap(bytes))
              .toString()
              .replace('\0', '\uFFFD');
      return text.length() > DeliveryStore.EXCERPT_CHARS
          ? text.substring(0, DeliveryStore.EXCERPT_CHARS)
          : text;
    }
  }
}
