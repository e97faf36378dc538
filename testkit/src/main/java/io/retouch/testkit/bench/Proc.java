package io.retouch.testkit.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux says about a process: CPU time used and peak resident memory. */
final class Proc {

  /** USER_HZ: /proc reports CPU times in clock ticks of 1/100 s on Linux. */
  private static final double TICKS_PER_SECOND = 100.0;

  private Proc() {}

  /** User plus system CPU seconds the process has used so far. */
  static double cpuSeconds(long pid) {
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    // the command name (field 2) may contain spaces: fields are counted after its ')'
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long utime = Long.parseLong(fields[11]);
    long stime = Long.parseLong(fields[12]);
    return (utime + stime) / TICKS_PER_SECOND;
  }

  /** The process's peak resident set size so far ({@code VmHWM}), in bytes. */
  static long peakRssBytes(long pid) {
    for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmHWM for process " + pid);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
