package io.retouch.testkit.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copy of the built jars a stack runs from, so that a rebuild does not pull classes from under
 * running JVMs.
 */
class JarsTest {

  @TempDir Path root;

  private final ByteArrayOutputStream said = new ByteArrayOutputStream();
  private final Say say = new Say("stack", new PrintStream(said, true, StandardCharsets.UTF_8));
  private Jars built;

  @BeforeEach
  void build() throws Exception {
    built = Jars.built(root);
    for (Path jar :
        List.of(
            built.api(),
            built.worker(),
            built.testkit(),
            built.testkit().resolveSibling("lib/jackson.jar"))) {
      Files.createDirectories(jar.getParent());
      Files.writeString(jar, "content of " + jar.getFileName());
      age(jar);
    }
  }

  @Test
  void the_jars_and_the_testkit_libraries_are_copied_and_the_copy_is_run() throws Exception {
    Path dest = root.resolve(".run/jars");

    Jars copy = built.copyTo(dest, say);

    assertThat(copy.api()).hasContent("content of retouch-api.jar").startsWith(dest);
    assertThat(copy.worker()).hasContent("content of retouch-worker.jar");
    assertThat(copy.testkit()).hasContent("content of retouch-testkit.jar");
    // the testkit jar's manifest names its dependencies relative to it
    assertThat(copy.testkit().resolveSibling("lib/jackson.jar"))
        .hasContent("content of jackson.jar");
    assertThat(said.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void a_copy_replaces_the_previous_one_whole() throws Exception {
    Path dest = root.resolve(".run/jars");
    Files.createDirectories(dest.resolve("testkit/lib"));
    Files.writeString(dest.resolve("testkit/lib/removed-dependency.jar"), "old");
    Files.writeString(dest.resolve("retouch-api.jar"), "old api");

    Jars copy = built.copyTo(dest, say);

    assertThat(copy.api()).hasContent("content of retouch-api.jar");
    assertThat(dest.resolve("testkit/lib/removed-dependency.jar")).doesNotExist();
  }

  @Test
  void jars_just_written_by_a_build_are_copied_once_they_have_settled() throws Exception {
    Files.writeString(built.worker(), "rebuilt worker"); // modified now

    Jars copy = built.copyTo(root.resolve(".run/jars"), say);

    assertThat(said.toString(StandardCharsets.UTF_8))
        .contains("the jars are being rebuilt: waiting for the build to finish");
    assertThat(copy.worker()).hasContent("rebuilt worker");
  }

  @Test
  void what_the_build_has_not_produced_is_named() throws Exception {
    Files.delete(built.worker());

    assertThat(built.missing()).containsExactly(built.worker());
  }

  private static void age(Path file) throws Exception {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
  }
}
