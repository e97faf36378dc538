package io.retouch.testkit.compose;

/** A compose file that {@code docker compose} would refuse, or that does not parse. */
public class ComposeFileException extends RuntimeException {

  public ComposeFileException(String message) {
    super(message);
  }

  public ComposeFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
