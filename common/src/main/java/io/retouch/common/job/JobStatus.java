package io.retouch.common.job;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The life cycle of an edit job. Terminal states never change again. */
public enum JobStatus {
  QUEUED(false),
  PROCESSING(false),
  SUCCEEDED(true),
  FAILED(true),
  CANCELED(true);

  private final boolean terminal;

  JobStatus(boolean terminal) {
    this.terminal = terminal;
  }

  public boolean isTerminal() {
    return terminal;
  }

  /** The lower-case name used in the database, in JSON and in query parameters. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<JobStatus> fromWireName(String value) {
    return Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst();
  }
}
