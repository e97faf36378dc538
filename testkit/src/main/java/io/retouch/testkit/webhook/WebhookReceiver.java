package io.retouch.testkit.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP server on loopback that takes webhook requests, records each (headers and the exact
 * body bytes) and answers what the test scripts: 204 by default, any status with headers and a body
 * otherwise. {@link #stop()} closes the port so connections are refused; {@link #start()} opens the
 * same port again.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One request as it arrived; header names in lower case. */
  public record Received(String path, Map<String, String> headers, byte[] body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** What to answer. */
  public record Reply(int status, Map<String, String> headers, String body) {
    public static Reply of(int status) {
      return new Reply(status, Map.of(), "");
    }
  }

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Function<Received, Reply> answer = r -> Reply.of(204);
  private volatile HttpServer server;
  private volatile int port;

  private WebhookReceiver() {}

  /** A receiver on a free loopback port, answering 204. */
  public static WebhookReceiver start(int port) {
    WebhookReceiver receiver = new WebhookReceiver();
    receiver.port = port;
    receiver.start();
    return receiver;
  }

  /** Opens the port (again, after {@link #stop()}). */
  public synchronized void start() {
    if (server != null) {
      return;
    }
    try {
      HttpServer http =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
      http.createContext("/", this::handle);
      http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      http.start();
      port = http.getAddress().getPort();
      server = http;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
  }

  /** Closes the port: further connections are refused until {@link #start()}. */
  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  public void answer(Function<Received, Reply> answer) {
    this.answer = answer;
  }

  public void answer(int status) {
    answer(r -> Reply.of(status));
  }

  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public void clear() {
    received.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> headers = new TreeMap<>();
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) ->
                  headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      Received request = new Received(exchange.getRequestURI().getPath(), headers, body);
      received.add(request);
      Reply reply = answer.apply(request);
      reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    stop();
  }
}
