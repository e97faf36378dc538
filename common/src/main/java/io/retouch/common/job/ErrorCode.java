package io.retouch.common.job;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Why a job failed, as stored in {@code edit_jobs.error_code} and shown to clients. {@link
 * #causedByRequest()} separates failures the client can fix (sync mode answers 400) from ones the
 * upstream or the service caused (sync mode answers 502).
 */
public enum ErrorCode {
  /** An input could not be read as an allowed image (after a URL fetch, say). */
  INVALID_INPUT(true),
  /** A URL input points somewhere the fetch policy forbids. */
  INPUT_FETCH_REFUSED(true),
  /** A URL input could not be fetched (timeouts, 4xx/5xx from the origin, too large). */
  INPUT_FETCH_FAILED(true),
  /** OpenAI refused the request (400/422, e.g. its safety system). */
  OPENAI_REJECTED(true),
  /** The configured model does not exist for this key (see {@code retouch.openai.model}). */
  MODEL_NOT_FOUND(false),
  /** OpenAI refused the service's credentials (401/403). */
  OPENAI_AUTH(false),
  /** OpenAI kept answering 408/409/429/5xx or could not be reached. */
  OPENAI_UNAVAILABLE(false),
  /** Object storage could not be reached. */
  STORAGE_UNAVAILABLE(false),
  /** Every allowed attempt failed transiently. */
  RETRIES_EXHAUSTED(false),
  /** The job's total retry budget ran out. */
  DEADLINE_EXCEEDED(false),
  /** The job's message was delivered more often than the queue's delivery limit. */
  POISON_MESSAGE(false),
  /** A bug or an answer the service does not understand. */
  INTERNAL(false);

  private final boolean causedByRequest;

  ErrorCode(boolean causedByRequest) {
    this.causedByRequest = causedByRequest;
  }

  public boolean causedByRequest() {
    return causedByRequest;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ErrorCode> fromWireName(String value) {
    return Arrays.stream(values()).filter(c -> c.wireName().equals(value)).findFirst();
  }
}
