package io.retouch.testkit.otlp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * An OpenTelemetry collector for tests: a real HTTP server on loopback that takes OTLP/HTTP trace
 * exports ({@code POST /v1/traces}, protobuf, optionally gzipped), as the apps' OTLP exporter sends
 * them, and keeps the spans in memory. It reads only what tests ask about (ids, names, the service
 * and string attributes) straight from the protobuf wire format.
 */
public final class OtlpCollector implements AutoCloseable {

  /**
   * One span as exported.
   *
   * @param parentSpanId empty for a root span
   * @param service the {@code service.name} of the process that exported it
   * @param startNanos start, nanoseconds since the epoch
   */
  public record Span(
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      String service,
      Map<String, String> attributes,
      long startNanos,
      long endNanos) {

    public double seconds() {
      return (endNanos - startNanos) / 1e9;
    }
  }

  private final List<Span> spans = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  private OtlpCollector(int port) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/v1/traces", this::traces);
    server.start();
  }

  /** A collector on {@code port} (0: any free one). */
  public static OtlpCollector start(int port) {
    return new OtlpCollector(port);
  }

  /** Where the apps' {@code …tracing.export.otlp.endpoint} should point. */
  public URI tracesEndpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
  }

  public List<Span> spans() {
    return List.copyOf(spans);
  }

  private void traces(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
          body = in.readAllBytes();
        }
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      try {
        spans.addAll(decodeRequest(body));
      } catch (RuntimeException e) {
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      // an empty ExportTraceServiceResponse
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
    }
  }

  /** ExportTraceServiceRequest: 1 = repeated ResourceSpans. */
  static List<Span> decodeRequest(byte[] request) {
    List<Span> decoded = new ArrayList<>();
    for (Wire.Field resourceSpans : Wire.fields(request)) {
      if (resourceSpans.number() != 1) {
        continue;
      }
      // ResourceSpans: 1 = Resource (1 = repeated attributes), 2 = repeated ScopeSpans
      String service = "";
      List<byte[]> scopes = new ArrayList<>();
      for (Wire.Field field : Wire.fields(resourceSpans.bytes())) {
        if (field.number() == 1) {
          service = attributes(field.bytes(), 1).getOrDefault("service.name", "");
        } else if (field.number() == 2) {
          scopes.add(field.bytes());
        }
      }
      for (byte[] scope : scopes) {
        // ScopeSpans: 2 = repeated Span
        for (Wire.Field span : Wire.fields(scope)) {
          if (span.number() == 2) {
            decoded.add(span(span.bytes(), service));
          }
        }
      }
    }
    return decoded;
  }

  /**
   * Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 7 start and 8 end (fixed64 epoch
   * nanoseconds), 9 repeated attributes.
   */
  private static Span span(byte[] span, String service) {
    HexFormat hex = HexFormat.of();
    String traceId = "";
    String spanId = "";
    String parent = "";
    String name = "";
    long start = 0;
    long end = 0;
    for (Wire.Field field : Wire.fields(span)) {
      switch (field.number()) {
        case 1 -> traceId = hex.formatHex(field.bytes());
        case 2 -> spanId = hex.formatHex(field.bytes());
        case 4 -> parent = hex.formatHex(field.bytes());
        case 5 -> name = field.text();
        case 7 -> start = field.value();
        case 8 -> end = field.value();
        default -> {}
      }
    }
    return new Span(traceId, spanId, parent, name, service, attributes(span, 9), start, end);
  }

  /**
   * The string-valued KeyValues (1 key, 2 AnyValue with 1 string_value) in field {@code number}.
   */
  private static Map<String, String> attributes(byte[] message, int number) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Wire.Field field : Wire.fields(message)) {
      if (field.number() != number) {
        continue;
      }
      String key = null;
      String value = null;
      for (Wire.Field part : Wire.fields(field.bytes())) {
        if (part.number() == 1) {
          key = part.text();
        } else if (part.number() == 2) {
          for (Wire.Field any : Wire.fields(part.bytes())) {
            if (any.number() == 1) {
              value = any.text();
            }
          }
        }
      }
      if (key != null && value != null) {
        attributes.put(key, value);
      }
    }
    return attributes;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
