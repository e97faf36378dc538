package io.retouch.api.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retouch.api.ApiProperties;
import io.retouch.api.http.ApiException;
import io.retouch.common.edit.InlineBase64;
import io.retouch.common.edit.InvalidRequestException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The body reader on its own: an inline image is decoded into its temp file while the body is still
 * arriving (never first read whole as text), and the temp files of a request are gone on every
 * path.
 */
class EditRequestReaderTest {

  private static final int THRESHOLD = 64 * 1024;

  @TempDir Path spoolDir;

  private final ApiProperties props =
      new ApiProperties(null, 20_000_000L, null, null, null, null, null, null);
  private final BodyBudget budget = new BodyBudget(props);
  private EditRequestReader reader;

  @BeforeEach
  void reader() {
    reader = new EditRequestReader(props, Clock.systemUTC(), spoolDir, THRESHOLD);
  }

  @Test
  void an_image_is_decoded_into_its_temp_file_while_the_body_still_arrives() throws Exception {
    byte[] image = random(6_000_000);
    byte[] body = body(Base64.getEncoder().encodeToString(image));
    long[] spooledAtThreeQuarters = {-1};
    InputStream arriving =
        new WatchedBody(
            body, body.length * 3L / 4, () -> spooledAtThreeQuarters[0] = spooledBytes());

    try (ReceivedRequest received = read(arriving, body.length)) {
      InlineBase64 base64 = received.body().inputImages().getFirst().imageSrc().base64();
      assertThat(base64.valid()).isTrue();
      assertThat(base64.decoded().onDisk()).isTrue();
      assertThat(base64.decoded().readAllBytes()).isEqualTo(image);
      // most of the image was already in the file when a quarter of its text had yet to arrive
      assertThat(spooledAtThreeQuarters[0]).isGreaterThan(image.length / 2);
    }
    assertThat(files()).isEmpty();
  }

  @Test
  void a_body_that_turns_out_invalid_after_its_images_leaves_no_temp_file() {
    String image = Base64.getEncoder().encodeToString(random(500_000));
    byte[] body =
        ("{\"input_images\":[{\"file_name\":\"a.png\",\"image_src\":{\"base64\":\""
                + image
                + "\"}}],\"prompt\":\"p\",\"n\":\"3\"}")
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> read(new ByteArrayInputStream(body), body.length))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("n has the wrong type");
    assertThat(files()).isEmpty();
  }

  @Test
  void a_client_that_goes_away_mid_image_leaves_no_temp_file() {
    byte[] body = body(Base64.getEncoder().encodeToString(random(500_000)));
    InputStream aborted =
        new WatchedBody(
            body,
            body.length / 2,
            () -> {
              throw new IOException("connection reset");
            });

    assertThatThrownBy(() -> read(aborted, body.length)).isInstanceOf(RuntimeException.class);
    assertThat(files()).isEmpty();
  }

  @Test
  void a_chunked_body_past_the_limit_is_a_413_and_leaves_no_temp_file() {
    byte[] body = body(Base64.getEncoder().encodeToString(random(16_000_000)));

    assertThatThrownBy(() -> read(new ByteArrayInputStream(body), -1))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.status().value()).isEqualTo(413));
    assertThat(files()).isEmpty();
  }

  private ReceivedRequest read(InputStream body, long length) {
    try (BodyBudget.Permit permit = budget.admit(Math.max(0, length))) {
      return reader.read(body, length, permit);
    }
  }

  private static byte[] body(String base64) {
    return ("{\"input_images\":[{\"file_name\":\"a.png\",\"image_src\":{\"base64\":\""
            + base64
            + "\"}}],\"prompt\":\"p\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] random(int n) {
    byte[] bytes = new byte[n];
    new Random(n).nextBytes(bytes);
    return bytes;
  }

  private long spooledBytes() {
    return files().stream()
        .mapToLong(
            f -> {
              try {
                return Files.size(f);
              } catch (IOException e) {
                return 0;
              }
            })
        .sum();
  }

  private List<Path> files() {
    try (var list = Files.list(spoolDir)) {
      return list.toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A body handed out in small reads that runs {@code atMark} once {@code mark} bytes are out. */
  private static final class WatchedBody extends InputStream {
    private final byte[] body;
    private final long mark;
    private final Mark atMark;
    private int pos;
    private boolean marked;

    interface Mark {
      void run() throws IOException;
    }

    WatchedBody(byte[] body, long mark, Mark atMark) {
      this.body = body;
      this.mark = mark;
      this.atMark = atMark;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
      if (!marked && pos >= mark) {
        marked = true;
        atMark.run();
      }
      if (pos == body.length) {
        return -1;
      }
      int n = Math.min(Math.min(length, 16 * 1024), body.length - pos);
      System.arraycopy(body, pos, into, offset, n);
      pos += n;
      return n;
    }
  }
}
