package io.retouch.testkit.openai;

import java.time.Duration;
import java.util.Map;

/**
 * A canned answer that {@link FakeOpenAi#enqueue(ScriptedResponse)} serves instead of the normal
 * edit processing, to make tests hit OpenAI's failure modes on purpose.
 *
 * @param status the HTTP status code
 * @param headers extra response headers (Content-Type is always {@code application/json})
 * @param body the JSON response body
 */
public record ScriptedResponse(int status, Map<String, String> headers, String body) {

  public ScriptedResponse {
    headers = Map.copyOf(headers);
  }

  /**
   * 429 with a {@code Retry-After} header in whole seconds (rounded up) and OpenAI's rate limit
   * body ({@code type} {@code requests}, {@code code} {@code rate_limit_exceeded}).
   */
  public static ScriptedResponse rateLimited(Duration retryAfter) {
    long seconds = ceilSeconds(retryAfter);
    String message =
        "Rate limit reached for images per minute (IPM) in organization org-fake: Limit 5,"
            + " Used 5, Requested 1. Please try again in "
            + seconds
            + "s. Visit https://platform.openai.com/account/rate-limits to learn more.";
    return new ScriptedResponse(
        429,
        Map.of("Retry-After", Long.toString(seconds)),
        new OpenAiError(message, "requests", null, "rate_limit_exceeded").toJson());
  }

  /** 500 exactly as OpenAI sends it when the model back end fails. */
  public static ScriptedResponse serverError() {
    return new ScriptedResponse(
        500,
        Map.of(),
        new OpenAiError(
                "The server had an error while processing your request. Sorry about that!",
                "server_error",
                null,
                null)
            .toJson());
  }

  /** 400 {@code moderation_blocked}, what OpenAI answers when its safety system refuses. */
  public static ScriptedResponse contentPolicy() {
    return new ScriptedResponse(400, Map.of(), contentPolicyError().toJson());
  }

  /**
   * Any status with an OpenAI-shaped error body; the error {@code type} follows the status class
   * ({@code requests} for 429, {@code server_error} for 5xx, {@code invalid_request_error}
   * otherwise) and {@code code} is null.
   */
  public static ScriptedResponse status(int code, String message) {
    String type =
        code == 429 ? "requests" : code >= 500 ? "server_error" : OpenAiError.INVALID_REQUEST;
    return new ScriptedResponse(
        code, Map.of(), new OpenAiError(message, type, null, null).toJson());
  }

  static OpenAiError contentPolicyError() {
    return new OpenAiError(
        "Your request was rejected as a result of our safety system. Your request may contain"
            + " content that is not allowed by our safety system.",
        "image_generation_user_error",
        null,
        "moderation_blocked");
  }

  private static long ceilSeconds(Duration duration) {
    long seconds = duration.toSeconds();
    return duration.toNanosPart() > 0 ? seconds + 1 : Math.max(seconds, 0);
  }
}
