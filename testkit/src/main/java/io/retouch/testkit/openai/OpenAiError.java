package io.retouch.testkit.openai;

import java.util.Map;

/**
 * The {@code error} object of OpenAI's error responses; nulls are kept because the real API sends
 * {@code "param":null} and {@code "code":null} rather than leaving the keys out.
 */
record OpenAiError(String message, String type, String param, String code) {

  static final String INVALID_REQUEST = "invalid_request_error";

  static OpenAiError invalidRequest(String message, String param, String code) {
    return new OpenAiError(message, INVALID_REQUEST, param, code);
  }

  /** The full response body, {@code {"error":{...}}}. */
  String toJson() {
    return Json.write(Map.of("error", this));
  }
}
