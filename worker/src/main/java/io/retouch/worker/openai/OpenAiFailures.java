package io.retouch.worker.openai;

import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.JobFailure;
import io.retouch.common.job.PermanentFailure;
import io.retouch.common.job.TransientFailure;
import io.retouch.common.net.RetryAfter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Classifies what the SDK throws, at the boundary: 400/401/403/404/422 will fail again and are
 * permanent; 408/409/429/5xx and I/O errors may pass and are transient, carrying {@code
 * Retry-After} when OpenAI sent one.
 */
public final class OpenAiFailures {

  private OpenAiFailures() {}

  public static JobFailure classify(OpenAIException e, String model) {
    if (e instanceof OpenAIServiceException service) {
      return classify(service, model);
    }
    if (e instanceof OpenAIIoException) {
      return new TransientFailure(
          ErrorCode.OPENAI_UNAVAILABLE, "cannot reach OpenAI: " + e.getMessage(), e);
    }
    return new TransientFailure(
        ErrorCode.OPENAI_UNAVAILABLE, "OpenAI call failed: " + e.getMessage(), e);
  }

  private static JobFailure classify(OpenAIServiceException e, String model) {
    int status = e.statusCode();
    String message = openAiMessage(e);
    if (status == 404 && e.code().filter("model_not_found"::equals).isPresent()) {
      return new PermanentFailure(
          ErrorCode.MODEL_NOT_FOUND,
          "OpenAI has no model '%s' for this key; set retouch.openai.model (RETOUCH_OPENAI_MODEL)"
                  .formatted(model)
              + ": "
              + message,
          e);
    }
    if (status == 401 || status == 403) {
      return new PermanentFailure(
          ErrorCode.OPENAI_AUTH,
          "OpenAI refused the service's credentials (check OPENAI_API_KEY): " + message,
          e);
    }
    if (status == 408 || status == 409 || status == 429 || status >= 500) {
      return new TransientFailure(
          ErrorCode.OPENAI_UNAVAILABLE,
          "OpenAI answered " + status + ": " + message,
          retryAfter(e).orElse(null),
          e);
    }
    return new PermanentFailure(ErrorCode.OPENAI_REJECTED, message, e);
  }

  /** OpenAI's own message, without the SDK's "400: " prefix. */
  static String openAiMessage(OpenAIServiceException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    return message.replaceFirst("^\\d{3}: ", "");
  }

  static Optional<Duration> retryAfter(OpenAIServiceException e) {
    List<String> millis = e.headers().values("retry-after-ms");
    if (!millis.isEmpty()) {
      try {
        return Optional.of(Duration.ofMillis((long) Double.parseDouble(millis.getFirst())));
      } catch (NumberFormatException ignored) {
        // fall through to Retry-After
      }
    }
    List<String> values = e.headers().values("retry-after");
    return values.isEmpty() ? Optional.empty() : RetryAfter.parse(values.getFirst(), Instant.now());
  }
}
