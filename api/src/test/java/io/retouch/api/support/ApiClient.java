package io.retouch.api.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A thin HTTP client for the API under test; every call returns status, headers and JSON. */
public final class ApiClient {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;

  public ApiClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** A response with its body parsed as JSON (null when the body is not JSON). */
  public record Answer(int status, HttpResponse<String> raw, JsonNode json) {
    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    public String message() {
      return json == null || json.get("message") == null ? null : json.get("message").asString();
    }
  }

  public Answer post(String path, String body, String... headers) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .POST(HttpRequest.BodyPublishers.ofString(body)),
        withJson(headers));
  }

  /** Posts without a Content-Length, so the body arrives chunked. */
  public Answer postChunked(String path, String body, String... headers) {
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(bytes))),
        withJson(headers));
  }

  public Answer patch(String path, String body, String... headers) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body)),
        withJson(headers));
  }

  public Answer delete(String path, String... headers) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), headers);
  }

  public Answer get(String path, String... headers) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
  }

  private static String[] withJson(String[] headers) {
    List<String> all = new ArrayList<>(List.of(headers));
    boolean hasType = false;
    for (int i = 0; i < all.size(); i += 2) {
      hasType |= all.get(i).equalsIgnoreCase("Content-Type");
    }
    if (!hasType) {
      all.add("Content-Type");
      all.add("application/json");
    }
    return all.toArray(String[]::new);
  }

  private Answer send(HttpRequest.Builder request, String... headers) {
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      try {
        json = JSON.readTree(response.body());
      } catch (RuntimeException notJson) {
        // some answers (e.g. from the servlet container) are not JSON
      }
      return new Answer(response.statusCode(), response, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
