package io.retouch.common.job;

/**
 * A failure classified where it entered (OpenAI, S3, URL fetch): either {@link PermanentFailure},
 * which fails the job at once, or {@link TransientFailure}, which the retry policy may retry.
 */
public abstract sealed class JobFailure extends RuntimeException
    permits PermanentFailure, TransientFailure {

  private final ErrorCode code;

  protected JobFailure(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
