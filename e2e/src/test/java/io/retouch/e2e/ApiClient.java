package io.retouch.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The API as a client sees it, authenticated as the bootstrapped owner key. */
final class ApiClient {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final String key;
  private final String dataset;

  ApiClient(String base, String key, String dataset) {
    this.base = base;
    this.key = key;
    this.dataset = dataset;
  }

  /** Where the API listens, e.g. {@code http://127.0.0.1:8080}. */
  String base() {
    return base;
  }

  record Answer(int status, HttpResponse<String> raw, JsonNode json) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  Answer submit(String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/api/message/edit_image"))
            .timeout(Duration.ofMinutes(6))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    return send(request, headers);
  }

  Answer cancel(String id) {
    return send(
        HttpRequest.newBuilder(URI.create(base + "/api/message/edit_image/" + id + "/cancel"))
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  Answer job(String id, String... headers) {
    return send(
        HttpRequest.newBuilder(URI.create(base + "/api/message/edit_image/" + id)).GET(), headers);
  }

  /** A JSON request to any path of the API (webhook management, say). */
  Answer post(String path, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Answer get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  Answer delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
  }

  private Answer send(HttpRequest.Builder request, String... headers) {
    request.header("Authorization", "Bearer " + key).header("TR-Dataset", dataset);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          response.statusCode(),
          response,
          response.body().isEmpty() ? null : JSON.readTree(response.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static byte[] download(String url) {
    return fetch(url).body();
  }

  /** GET of a result URL, failing unless it answers 200. */
  static HttpResponse<byte[]> fetch(String url) {
    try {
      HttpResponse<byte[]> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET " + url + " answered " + response.statusCode());
      }
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
