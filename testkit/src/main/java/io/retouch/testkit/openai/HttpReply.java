package io.retouch.testkit.openai;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A complete response, decided before anything is written to the exchange. */
record HttpReply(int status, Map<String, String> headers, String contentType, byte[] body) {

  static HttpReply json(int status, String json) {
    return new HttpReply(
        status, Map.of(), "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  static HttpReply error(int status, OpenAiError error) {
    return json(status, error.toJson());
  }

  static HttpReply error(RequestRejected rejected) {
    return error(rejected.status(), rejected.error());
  }

  static HttpReply text(int status, String text) {
    return new HttpReply(
        status, Map.of(), "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  static HttpReply scripted(ScriptedResponse script) {
    return new HttpReply(
        script.status(),
        script.headers(),
        "application/json",
        script.body().getBytes(StandardCharsets.UTF_8));
  }
}
