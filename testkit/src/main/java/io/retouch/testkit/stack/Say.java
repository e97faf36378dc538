package io.retouch.testkit.stack;

import java.io.PrintStream;

/**
 * Messages to the user on stderr, each prefixed with the command ({@code stack: …}), so that stdout
 * holds only what a script may read (the status lines).
 */
record Say(String prefix, PrintStream err) {

  void line(String message) {
    err.println(prefix + ": " + message);
  }

  void error(String message) {
    err.println(prefix + ": error: " + message);
  }
}
