package io.retouch.db.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Statuses are written in one place: no other SQL of the main code spells one out. */
class StatusChangesTest {

  private static final Pattern STATUS_LITERAL =
      Pattern.compile("'(queued|processing|succeeded|failed|canceled)'");

  @Test
  void no_sql_outside_transitions_names_a_status() throws IOException {
    List<String> offenders;
    try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
      offenders =
          sources
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> !p.getFileName().toString().equals("Transitions.java"))
              .filter(p -> read(p).lines().anyMatch(l -> STATUS_LITERAL.matcher(l).find()))
              .map(Path::toString)
              .toList();
    }
    assertThat(offenders).isEmpty();
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
