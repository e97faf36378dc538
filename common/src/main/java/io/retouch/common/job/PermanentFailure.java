package io.retouch.common.job;

/** A failure that another attempt would repeat: the job fails at once. */
public final class PermanentFailure extends JobFailure {

  public PermanentFailure(ErrorCode code, String message) {
    this(code, message, null);
  }

  public PermanentFailure(ErrorCode code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
