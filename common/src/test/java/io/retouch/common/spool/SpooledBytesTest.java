package io.retouch.common.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpooledBytesTest {

  @TempDir Path dir;

  @Test
  void small_bytes_stay_in_memory_and_large_ones_go_to_a_file_that_close_deletes()
      throws Exception {
    byte[] bytes = new byte[10_000];
    new Random(1).nextBytes(bytes);
    SpooledBytes small = new SpooledBytes(dir, 20_000);
    SpooledBytes large = new SpooledBytes(dir, 4_000);
    for (int at = 0; at < bytes.length; at += 3_000) {
      small.write(bytes, at, Math.min(3_000, bytes.length - at));
      large.write(bytes, at, Math.min(3_000, bytes.length - at));
    }
    small.finish();
    large.finish();

    assertThat(small.onDisk()).isFalse();
    assertThat(large.onDisk()).isTrue();
    assertThat(files()).hasSize(1);
    for (SpooledBytes spooled : new SpooledBytes[] {small, large}) {
      assertThat(spooled.size()).isEqualTo(bytes.length);
      assertThat(spooled.readAllBytes()).isEqualTo(bytes);
      assertThat(spooled.sha256Hex())
          .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
      byte[] part = new byte[100];
      assertThat(spooled.read(9_950, part, 0, 100)).isEqualTo(50);
      assertThat(spooled.read(10_000, part, 0, 100)).isEqualTo(-1);
      try (InputStream again = spooled.open()) {
        assertThat(again.readAllBytes()).isEqualTo(bytes);
      }
    }

    large.close();
    large.close();
    assertThat(files()).isEmpty();
  }

  @Test
  void bytes_abandoned_while_still_being_written_leave_no_file() throws Exception {
    SpooledBytes spooled = new SpooledBytes(dir, 10);
    spooled.write(new byte[100], 0, 100);
    assertThat(files()).hasSize(1);

    spooled.close();

    assertThat(files()).isEmpty();
  }

  private java.util.List<Path> files() throws Exception {
    try (var list = Files.list(dir)) {
      return list.toList();
    }
  }
}
