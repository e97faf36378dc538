package io.retouch.worker.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.PermanentFailure;
import io.retouch.common.job.TransientFailure;
import io.retouch.common.net.AddressPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fetcher against a real local HTTP server. A test resolver decides what host names resolve to,
 * and in the strict policy 127.0.0.1 stands in for a public address (every other loopback address,
 * 127.0.0.2 say, is still refused), so the policy can be exercised without public DNS.
 */
class SafeUrlFetcherTest {

  private static final byte[] PNG = io.retouch.testkit.images.SampleImages.png();
  private static final InetAddress STAND_IN_PUBLIC = address("127.0.0.1");
  private static final InetAddress LOOPBACK = address("127.0.0.2");

  private HttpServer server;
  private String base;
  private final AtomicInteger hits = new AtomicInteger();
  private final CountDownLatch testOver = new CountDownLatch(1);
  private final AtomicBoolean dripHungUp = new AtomicBoolean();

  @BeforeEach
  void serve() throws IOException {
    // every local address, so that 127.0.0.2 reaches it when the policy lets it through
    server = HttpServer.create(new InetSocketAddress(0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/image.png",
        exchange -> {
          hits.incrementAndGet();
          exchange.getResponseHeaders().add("Content-Type", "image/png");
          exchange.sendResponseHeaders(200, PNG.length);
          exchange.getResponseBody().write(PNG);
          exchange.close();
        });
    server.createContext(
        "/big",
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          exchange.getResponseBody().write(new byte[4096]);
          exchange.close();
        });
    server.createContext(
        "/big-declared",
        exchange -> {
          exchange.sendResponseHeaders(200, 4096);
          exchange.getResponseBody().write(new byte[4096]);
          exchange.close();
        });
    server.createContext(
        "/drip",
        exchange -> {
          // headers at once, then a byte every 50 ms until the client hangs up or the test ends
          exchange.sendResponseHeaders(200, 0);
          try (var body = exchange.getResponseBody()) {
            while (!testOver.await(50, TimeUnit.MILLISECONDS)) {
              body.write(0);
              body.flush();
            }
          } catch (IOException e) {
            dripHungUp.set(true); // what a cut-off fetch does
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.createContext(
        "/to-credentials",
        exchange -> {
          exchange
              .getResponseHeaders()
              .add(
                  "Location",
                  "http://bob:s3cret@127.0.0.1:" + server.getAddress().getPort() + "/image.png");
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    server.createContext(
        "/to-loopback",
        exchange -> {
          exchange
              .getResponseHeaders()
              .add("Location", "http://127.0.0.2:" + server.getAddress().getPort() + "/image.png");
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    server.createContext(
        "/missing",
        exchange -> {
          exchange.sendResponseHeaders(404, -1);
          exchange.close();
        });
    server.createContext(
        "/busy",
        exchange -> {
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });
    server.start();
    base = "http://images.test:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    testOver.countDown();
    server.stop(0);
  }

  private static FetchProperties props(boolean allowPrivate, long maxBytes) {
    return new FetchProperties(
        allowPrivate, maxBytes, Duration.ofSeconds(2), Duration.ofSeconds(5), 3);
  }

  /** images.test resolves to the stand-in public address; other names resolve for real. */
  private InetAddress[] resolve(String host) throws UnknownHostException {
    return host.equals("images.test")
        ? new InetAddress[] {STAND_IN_PUBLIC}
        : InetAddress.getAllByName(host);
  }

  private static Optional<String> strictExceptTheStandIn(InetAddress address) {
    return address.equals(STAND_IN_PUBLIC)
        ? Optional.empty()
        : new AddressPolicy(false).refusal(address);
  }

  private SafeUrlFetcher strictFetcher(long maxBytes) {
    return new SafeUrlFetcher(
        props(false, maxBytes), this::resolve, SafeUrlFetcherTest::strictExceptTheStandIn);
  }

  private SafeUrlFetcher openFetcher(FetchProperties props) {
    return new SafeUrlFetcher(props, this::resolve, new AddressPolicy(true)::refusal);
  }

  @Test
  void fetches_an_image_from_an_allowed_host() {
    assertThat(strictFetcher(1024).fetch(URI.create(base + "/image.png"))).isEqualTo(PNG);
  }

  @Test
  void refuses_a_loopback_url_without_connecting() {
    URI url = URI.create("http://127.0.0.2:" + server.getAddress().getPort() + "/image.png");
    assertThatThrownBy(() -> strictFetcher(1024).fetch(url))
        .isInstanceOfSatisfying(
            PermanentFailure.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_FETCH_REFUSED))
        .hasMessageContaining("Loopback address (127.0.0.0/8");
    assertThat(hits).hasValue(0);
  }

  @Test
  void a_redirect_to_a_url_with_credentials_is_refused_without_showing_them() {
    assertThatThrownBy(
            () -> openFetcher(props(true, 1024)).fetch(URI.create(base + "/to-credentials")))
        .isInstanceOfSatisfying(
            PermanentFailure.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_FETCH_REFUSED))
        .hasMessageContaining("redirected to a URL with a user name or password")
        .hasMessageNotContaining("s3cret");
    assertThat(hits).hasValue(0);
  }

  @Test
  void urls_in_errors_never_show_user_info() {
    assertThat(SafeUrlFetcher.shown(URI.create("https://bob:s3cret@images.test:8443/a.png?sig=1")))
        .isEqualTo("https://images.test:8443/a.png");
    assertThat(SafeUrlFetcher.shown(URI.create("https://images.test/a.png?sig=1")))
        .isEqualTo("https://images.test/a.png?sig=1");
  }

  @Test
  void re_checks_every_redirect_hop() {
    assertThatThrownBy(() -> strictFetcher(1024).fetch(URI.create(base + "/to-loopback")))
        .isInstanceOfSatisfying(
            PermanentFailure.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_FETCH_REFUSED));
    assertThat(hits).hasValue(0);
  }

  @Test
  void follows_redirects_when_private_networks_are_allowed() {
    SafeUrlFetcher open = openFetcher(props(true, 1024));
    assertThat(open.fetch(URI.create(base + "/to-loopback"))).isEqualTo(PNG);
  }

  /**
   * DNS rebinding: the name passes the check, then resolves to an inside address when the client
   * connects. The client's own resolution is checked too, so nothing inside is reached.
   */
  @Test
  void a_host_that_resolves_inside_after_passing_the_check_is_refused_without_connecting() {
    AtomicInteger lookups = new AtomicInteger();
    SafeUrlFetcher fetcher =
        new SafeUrlFetcher(
            props(false, 1024),
            host -> new InetAddress[] {lookups.getAndIncrement() == 0 ? STAND_IN_PUBLIC : LOOPBACK},
            SafeUrlFetcherTest::strictExceptTheStandIn);
    URI url = URI.create("http://rebind.test:" + server.getAddress().getPort() + "/image.png");

    assertThatThrownBy(() -> fetcher.fetch(url))
        .isInstanceOfSatisfying(
            PermanentFailure.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_FETCH_REFUSED))
        .hasMessageContaining("127.0.0.2, a Loopback address");
    assertThat(lookups).hasValueGreaterThan(1);
    assertThat(hits).hasValue(0);
  }

  @Test
  void refuses_other_schemes() {
    assertThatThrownBy(() -> strictFetcher(1024).fetch(URI.create("file:///etc/passwd")))
        .isInstanceOfSatisfying(
            PermanentFailure.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_FETCH_REFUSED));
  }

  @Test
  void cuts_off_bodies_over_the_limit() {
    assertThatThrownBy(() -> strictFetcher(1000).fetch(URI.create(base + "/big")))
        .isInstanceOf(PermanentFailure.class)
        .hasMessageContaining("larger than 1000 bytes");
  }

  @Test
  void refuses_a_body_whose_declared_length_is_over_the_limit() {
    assertThatThrownBy(() -> strictFetcher(1000).fetch(URI.create(base + "/big-declared")))
        .isInstanceOf(PermanentFailure.class)
        .hasMessageContaining("larger than 1000 bytes");
  }

  /**
   * A server that sends its headers at once and then drips the body must still be cut off at the
   * fetch's time limit. (The class timeout only stops a hang from blocking the build.)
   */
  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void a_body_dripped_slower_than_the_time_limit_is_cut_off_as_a_timeout() {
    SafeUrlFetcher fetcher =
        openFetcher(
            new FetchProperties(
                true, 1024L * 1024, Duration.ofSeconds(2), Duration.ofSeconds(1), 3));

    assertThatThrownBy(() -> fetcher.fetch(URI.create(base + "/drip")))
        .isInstanceOfSatisfying(
            TransientFailure.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_FETCH_FAILED))
        .hasMessageContaining("timed out")
        .hasMessageContaining("limit of 1s");
    // the connection is dropped, not left for the server to fill
    await().atMost(Duration.ofSeconds(10)).untilTrue(dripHungUp);
  }

  @Test
  void a_404_is_permanent_and_a_503_transient() {
    assertThatThrownBy(() -> strictFetcher(1024).fetch(URI.create(base + "/missing")))
        .isInstanceOfSatisfying(
            PermanentFailure.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_FETCH_FAILED))
        .hasMessageContaining("answered 404");
    assertThatThrownBy(() -> strictFetcher(1024).fetch(URI.create(base + "/busy")))
        .isInstanceOf(TransientFailure.class)
        .hasMessageContaining("answered 503");
  }

  @Test
  void an_unreachable_host_is_transient() throws IOException {
    int closedPort;
    try (var socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    assertThatThrownBy(
            () -> strictFetcher(1024).fetch(URI.create("http://images.test:" + closedPort + "/x")))
        .isInstanceOf(TransientFailure.class);
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
