package io.retouch.common.storage;

import io.retouch.common.validation.EditRequestValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Object reads and writes on URLs Retouch signs itself ({@link PresignedUrls}), sent with the JDK's
 * HTTP client. These are the two calls of every job (the API stores its inputs, the worker reads
 * them and stores its outputs); through the SDK, its request pipeline (endpoint rules,
 * interceptors, streaming payload signature, its Apache client) took about 30% of the API's and the
 * worker's CPU in scripts/bench under JFR, where signing a URL is a few HMACs. The rare calls
 * (delete, list, bucket checks) stay on the SDK.
 *
 * <p>Tries as the SDK's standard retry mode does: three, on a connection failure, a timeout, a 5xx
 * or a 429, with jittered exponential backoff from 100 ms. They absorb a dropped connection without
 * spending an attempt of the job; an outage outlasts them and surfaces as {@link
 * StorageUnavailableException}.
 */
public final class SignedTransfers implements AutoCloseable {

  private static final int TRIES = 3;
  private static final Duration BACKOFF = Duration.ofMillis(100);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /**
   * A try's whole exchange, body included: the JDK's client has no read timeout, so a store that
   * stalls mid-body would otherwise hold the thread forever. Generous for a slow link: 30 s plus a
   * second per MB.
   */
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  /** How long a signature of one try stays valid: S3 checks it when the request starts. */
  private static final Duration SIGNATURE_TTL = Duration.ofMinutes(15);

  private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]*)</Code>");
  private static final Pattern ERROR_MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");

  private final HttpClient http;
  private final PresignedUrls urls;
  private final String bucket;

  /**
   * @param urls signs for the endpoint Retouch itself reaches, not the public one
   */
  public SignedTransfers(PresignedUrls urls, String bucket) {
    this.urls = urls;
    this.bucket = bucket;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            // the JVM's proxy settings (https.proxyHost, …), as the SDK's client honoured them
            .proxy(ProxySelector.getDefault())
            .build();
  }

  /** Stores {@code length} bytes under {@code key}; {@code body} gives a fresh copy per try. */
  public void put(String key, Supplier<BodyPublisher> body, long length, String contentType) {
    exchange(
        "store " + key,
        length,
        () -> {
          var request =
              HttpRequest.newBuilder(urls.sign("PUT", bucket, key, SIGNATURE_TTL))
                  // as the SDK does: a refusal (an expired token, say) arrives before the body is
                  // sent, with S3's reason, instead of as a broken pipe halfway through it
                  .expectContinue(length > 0)
                  .PUT(
                      length == 0
                          ? HttpRequest.BodyPublishers.noBody()
                          : HttpRequest.BodyPublishers.fromPublisher(body.get(), length));
          if (contentType != null) {
            request.header("Content-Type", contentType);
          }
          return request.build();
        },
        key);
  }

  /**
   * @throws MissingObjectException when S3 answers {@code NoSuchKey}
   */
  public byte[] get(String key) {
    return exchange(
        "read " + key,
        // the size is not known before the answer: budget for the largest image Retouch takes
        EditRequestValidator.MAX_IMAGE_BYTES,
        () -> HttpRequest.newBuilder(urls.sign("GET", bucket, key, SIGNATURE_TTL)).GET().build(),
        key);
  }

  /**
   * @param budgetBytes the body's size, or the most it can be: what each try's deadline allows for
   */
  private byte[] exchange(
      String what, long budgetBytes, Supplier<HttpRequest> request, String key) {
    Duration deadline = DEADLINE.plusSeconds(budgetBytes / 1_000_000);
    for (int tried = 1; ; tried++) {
      Failure failure;
      try {
        HttpResponse<byte[]> response = send(request.get(), deadline);
        int status = response.statusCode();
        if (status / 100 == 2) {
          return response.body();
        }
        String code = match(ERROR_CODE, response.body());
        if (status == 404 && "NoSuchKey".equals(code)) {
          throw new MissingObjectException(key);
        }
        failure =
            new Failure(
                "S3 answered %d %s: %s"
                    .formatted(status, code, match(ERROR_MESSAGE, response.body())),
                null,
                // RequestTimeout (400): S3 gave up on a body that stalled; the SDK retries it too
                status >= 500 || status == 429 || "RequestTimeout".equals(code));
      } catch (IOException | TimeoutException e) {
        failure = new Failure(e.toString(), e, true);
      } catch (SdkException e) {
        // the credentials could not be resolved (instance metadata or STS unreachable, say)
        failure = new Failure(e.getMessage(), e, e.retryable());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StorageUnavailableException(
            "object storage failed to " + what + ": interrupted", e);
      }
      if (!failure.retryable() || tried == TRIES) {
        throw new StorageUnavailableException(
            "object storage failed to %s after %d %s: %s"
                .formatted(what, tried, tried == 1 ? "try" : "tries", failure.reason()),
            failure.cause());
      }
      backOff(tried, what);
    }
  }

  private record Failure(String reason, Throwable cause, boolean retryable) {}

  private HttpResponse<byte[]> send(HttpRequest request, Duration deadline)
      throws IOException, InterruptedException, TimeoutException {
    CompletableFuture<HttpResponse<byte[]>> exchange =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    try {
      return exchange.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      if (e.getCause() instanceof RuntimeException bug) {
        throw bug; // not an outage: reporting it as one would hide it behind retries and 503s
      }
      throw new IOException(e.getCause());
    } finally {
      // cancelling a finished exchange does nothing; an unfinished one is aborted
      exchange.cancel(true);
    }
  }

  /** A random wait between half and all of 100 ms × 2^(tries − 1), so retries spread out. */
  private static void backOff(int tried, String what) {
    long ceiling = BACKOFF.toMillis() << (tried - 1);
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageUnavailableException(
          "object storage failed to " + what + ": interrupted", e);
    }
  }

  private static String match(Pattern pattern, byte[] body) {
    Matcher m = pattern.matcher(new String(body, StandardCharsets.UTF_8));
    return m.find() ? m.group(1) : "";
  }

  @Override
  public void close() {
    http.close();
  }
}
