package io.retouch.api.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.api.support.ApiIntegrationTest;
import io.retouch.api.support.RawHttp;
import io.retouch.api.support.Requests;
import io.retouch.testkit.images.SampleImages;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Thousands of mutated valid submissions (seeded, so a failure can be replayed with {@code
 * -Dretouch.fuzz.seed=…}): bytes flipped, cut, repeated and replaced, values swapped for other
 * JSON, escapes and keys inserted, headers varied. Whatever arrives, the API answers below 500, and
 * every 4xx is a JSON {@code {"message"}}.
 */
class SubmissionFuzzTest extends ApiIntegrationTest {

  private static final long SEED = Long.getLong("retouch.fuzz.seed", 20_261_201L);
  private static final int CASES = Integer.getInteger("retouch.fuzz.cases", 3_000);

  private static final byte[] SPECIAL = {
    0,
    1,
    '\t',
    '\n',
    '"',
    '\\',
    '/',
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    ' ',
    '-',
    '0',
    '9',
    'e',
    'u',
    (byte) 0x7F,
    (byte) 0x80,
    (byte) 0xBF,
    (byte) 0xC0,
    (byte) 0xC3,
    (byte) 0xE0,
    (byte) 0xED,
    (byte) 0xF0,
    (byte) 0xF4,
    (byte) 0xF8,
    (byte) 0xFF
  };
  private static final String[] VALUES = {
    "null",
    "true",
    "0",
    "-1",
    "1e400",
    "99999999999999999999",
    "1.5",
    "\"\"",
    "\"x\"",
    "[]",
    "{}",
    "[null]",
    "{\"base64\":\"\"}",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"\\\\\"",
    "\"" + "a".repeat(5_000) + "\"",
    "[".repeat(600) + "]".repeat(600),
    "\"data:image/png;base64,\""
  };
  private static final String[] ESCAPES = {
    "\\u0000", "\\ud800", "\\udc00", "\\ud83c\\udfa8", "\\\"", "\\\\", "\\n", "\\u00", "\\x41", "\\"
  };

  private final Random random = new Random(SEED);

  @Test
  void mutated_submissions_never_get_a_5xx_and_every_4xx_is_a_message() {
    // thousands of 4xx WARN lines would bury the rest of the build's output
    var handlerLog =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(io.retouch.api.http.ApiExceptionHandler.class);
    var level = handlerLog.getLevel();
    handlerLog.setLevel(ch.qos.logback.classic.Level.ERROR);
    try {
      fuzz();
    } finally {
      handlerLog.setLevel(level);
    }
  }

  private void fuzz() {
    List<String> corpus = corpus();
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (int i = 0; i < CASES; i++) {
      byte[] body = mutate(corpus.get(random.nextInt(corpus.size())));
      String headers = headers();
      RawHttp.Response answer = new RawHttp(port).exchange(request(headers, body));
      String replay =
          "case %d of seed %d: %s%n%s"
              .formatted(
                  i,
                  SEED,
                  headers,
                  new String(body, 0, Math.min(body.length, 300), StandardCharsets.ISO_8859_1));

      statuses.merge(answer.status(), 1, Integer::sum);
      assertThat(answer.status()).as(replay).isLessThan(500);
      if (answer.status() >= 400) {
        assertThat(answer.json()).as(replay).isNotNull();
        assertThat(answer.json().propertyNames()).as(replay).containsExactly("message");
        assertThat(answer.message()).as(replay).isNotBlank();
      }
    }
    System.out.println("FUZZ seed=" + SEED + " cases=" + CASES + " statuses=" + statuses);
    // the mutations reach the validator, not only the JSON parser, and some stay valid
    assertThat(statuses.keySet()).contains(202, 400);
  }

  private static List<String> corpus() {
    String png = Requests.b64(Requests.png());
    String jpeg = Requests.b64(Requests.jpeg());
    String webp = Requests.b64(SampleImages.webp(4, 4));
    String inline = "{\"file_name\":\"a.png\",\"image_src\":{\"base64\":\"" + png + "\"}}";
    return List.of(
        "{\"input_images\":[" + inline + "],\"prompt\":\"make it blue\"}",
        "{\"input_images\":["
            + inline
            + ","
            + inline
            + "],\"prompt\":\"p\",\"n\":2,"
            + "\"quality\":\"high\",\"size\":\"1536x1024\",\"mime_type\":\"image/png\"}",
        "{\"input_images\":[{\"file_name\":\"b.jpg\",\"image_src\":{\"base64\":\"data:image/jpeg;"
            + "base64,"
            + jpeg
            + "\"}}],\"prompt\":\"Füße 写真 🎨\",\"size\":\"1024x1536\"}",
        "{\"input_images\":[{\"file_name\":\"c.webp\",\"image_src\":{\"base64\":\""
            + webp
            + "\"}}],\"prompt\":\"p\",\"quality\":\"medium\"}",
        "{\"input_images\":[{\"file_name\":\"d.png\",\"image_src\":{\"url\":"
            + "\"https://images.test/d.png?sig=1\"}}],\"prompt\":\"p\",\"n\":10}",
        "{\"prompt\":\"order changed\",\"n\":1,\"input_images\":[" + inline + "]}");
  }

  private byte[] mutate(String seed) {
    byte[] body = seed.getBytes(StandardCharsets.UTF_8);
    int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations; m++) {
      body =
          switch (random.nextInt(10)) {
            case 0 -> flipBit(body);
            case 1 -> replaceByte(body);
            case 2 -> deleteRange(body);
            case 3 -> repeatRange(body);
            case 4 -> truncate(body);
            case 5 -> insertAt(body, ESCAPES[random.nextInt(ESCAPES.length)].getBytes());
            case 6 -> replaceValue(body);
            case 7 -> duplicateKey(body);
            case 8 -> insertAt(body, randomBytes(1 + random.nextInt(8)));
            default -> body; // some bodies stay valid
          };
    }
    return body;
  }

  private byte[] flipBit(byte[] body) {
    byte[] copy = body.clone();
    copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
    return copy;
  }

  private byte[] replaceByte(byte[] body) {
    byte[] copy = body.clone();
    copy[random.nextInt(copy.length)] = SPECIAL[random.nextInt(SPECIAL.length)];
    return copy;
  }

  private byte[] deleteRange(byte[] body) {
    int from = random.nextInt(body.length);
    int to = Math.min(body.length, from + 1 + random.nextInt(20));
    return concat(slice(body, 0, from), slice(body, to, body.length));
  }

  private byte[] repeatRange(byte[] body) {
    int from = random.nextInt(body.length);
    int to = Math.min(body.length, from + 1 + random.nextInt(40));
    return concat(slice(body, 0, to), slice(body, from, body.length));
  }

  private byte[] truncate(byte[] body) {
    return slice(body, 0, random.nextInt(body.length));
  }

  private byte[] insertAt(byte[] body, byte[] insert) {
    int at = random.nextInt(body.length + 1);
    return concat(slice(body, 0, at), insert, slice(body, at, body.length));
  }

  /** Replaces the value after a random ':' with another JSON value. */
  private byte[] replaceValue(byte[] body) {
    String text = new String(body, StandardCharsets.ISO_8859_1);
    int colon = text.indexOf(':', random.nextInt(text.length()));
    if (colon < 0) {
      return body;
    }
    int end = colon + 1;
    while (end < text.length() && ",}]".indexOf(text.charAt(end)) < 0) {
      end++;
    }
    String value = VALUES[random.nextInt(VALUES.length)];
    return (text.substring(0, colon + 1) + value + text.substring(end))
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Gives a key that is already there a second time, with another value. */
  private byte[] duplicateKey(byte[] body) {
    String text = new String(body, StandardCharsets.ISO_8859_1);
    String[] keys = {"\"n\":", "\"prompt\":", "\"size\":", "\"file_name\":", "\"base64\":"};
    String key = keys[random.nextInt(keys.length)];
    int at = text.indexOf(key);
    if (at < 0) {
      return body;
    }
    return (text.substring(0, at)
            + key
            + VALUES[random.nextInt(VALUES.length)]
            + ","
            + text.substring(at))
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private String headers() {
    StringBuilder headers = new StringBuilder();
    String[] prefers = {"respond-async", "respond-async, wait=1", "wait=0", "respond-async;x=y"};
    headers.append("Prefer: ").append(prefers[random.nextInt(prefers.length)]).append("\r\n");
    if (random.nextInt(8) == 0) {
      headers.append("Idempotency-Key: fuzz-").append(random.nextInt(20)).append("\r\n");
    }
    if (random.nextInt(8) == 0) {
      String[] accepts = {"text/html", "image/png", "*/*", "application/json;q=0", "application/*"};
      headers.append("Accept: ").append(accepts[random.nextInt(accepts.length)]).append("\r\n");
    }
    String[] types = {
      "application/json", "application/json; charset=utf-8", "application/json; charset=latin1"
    };
    headers.append("Content-Type: ").append(types[random.nextInt(types.length)]).append("\r\n");
    return headers.toString();
  }

  private byte[] request(String headers, byte[] body) {
    String head =
        "POST "
            + EDIT
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: "
            + tenant.apiKey()
            + "\r\nTR-Dataset: "
            + tenant.datasetId()
            + "\r\n"
            + headers
            + "Content-Length: "
            + body.length
            + "\r\n\r\n";
    return concat(head.getBytes(StandardCharsets.ISO_8859_1), body);
  }

  private byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] slice(byte[] bytes, int from, int to) {
    return java.util.Arrays.copyOfRange(bytes, from, to);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
