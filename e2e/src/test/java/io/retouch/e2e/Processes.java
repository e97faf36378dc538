package io.retouch.e2e;

import io.retouch.testkit.process.AppProcess;
import java.nio.file.Path;
import java.util.List;

/** How the end-to-end tests start the jars. */
final class Processes {

  /**
   * Small heaps and the C1 compiler only: many processes share two cores here and their start-up
   * dominates; the benchmark, which measures speed, runs them with the JVM's defaults.
   */
  static final AppProcess.Launch LAUNCH =
      new AppProcess.Launch(
          Path.of(
              System.getProperty("retouch.e2e.java", AppProcess.Launch.currentJava().toString())),
          List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"),
          Path.of("target", "e2e-logs"));

  private Processes() {}
}
