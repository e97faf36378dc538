package io.retouch.api.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.api.support.ApiIntegrationTest;
import io.retouch.api.support.RawHttp;
import io.retouch.api.support.Requests;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Text Postgres cannot store and bytes that are not UTF-8, in every string field of a submission: a
 * 400 naming the field, never the 503 of an outage, and nothing stored.
 */
class MalformedTextTest extends ApiIntegrationTest {

  /** Where a defect goes: the field it lands in and a body with {@code @} at that place. */
  private record Site(String field, String body) {}

  private static final String PNG = Requests.b64(Requests.png());

  private static List<Site> sites() {
    String inline = "{\"file_name\":\"a.png\",\"image_src\":{\"base64\":\"" + PNG + "\"}}";
    return List.of(
        new Site("prompt", "{\"input_images\":[" + inline + "],\"prompt\":\"make it @ blue\"}"),
        new Site(
            "input_images[0].file_name",
            "{\"input_images\":[{\"file_name\":\"a@.png\",\"image_src\":{\"base64\":\""
                + PNG
                + "\"}}],\"prompt\":\"p\"}"),
        new Site(
            "input_images[0].image_src.url",
            "{\"input_images\":[{\"file_name\":\"a.png\",\"image_src\":{\"url\":"
                + "\"https://images.test/@.png\"}}],\"prompt\":\"p\"}"),
        new Site(
            "mime_type",
            "{\"input_images\":[" + inline + "],\"prompt\":\"p\",\"mime_type\":\"image/png@\"}"),
        new Site(
            "quality", "{\"input_images\":[" + inline + "],\"prompt\":\"p\",\"quality\":\"low@\"}"),
        new Site(
            "size", "{\"input_images\":[" + inline + "],\"prompt\":\"p\",\"size\":\"@1024x1024\"}"),
        new Site("body", "{\"input_images\":[" + inline + "],\"prompt\":\"p\",\"note\":\"x@\"}"));
  }

  /** A defect: the bytes that replace {@code @}, and what the message says about them. */
  private record Defect(String name, byte[] bytes, String says) {}

  private static List<Defect> defects() {
    return List.of(
        text("escaped NUL", "\\u0000", "contains U+0000 (NUL)"),
        text("escaped lone high surrogate", "\\ud800", "unpaired surrogate (\\uD800)"),
        text("escaped lone low surrogate", "\\udfff", "unpaired surrogate (\\uDFFF)"),
        text("escaped surrogates in reverse", "\\udc00\\ud83c", "unpaired surrogate (\\uDC00)"),
        raw("overlong slash", "C0 AF", "is not valid UTF-8: an overlong encoding (0xC0)"),
        raw("overlong NUL", "C0 80", "is not valid UTF-8: an overlong encoding (0xC0)"),
        raw("three-byte overlong", "E0 80 AF", "is not valid UTF-8: an overlong encoding (0xE0)"),
        raw("four-byte overlong", "F0 80 80 AF", "is not valid UTF-8: an overlong encoding"),
        raw("encoded surrogate", "ED A0 80", "is not valid UTF-8: an encoded surrogate"),
        raw("past U+10FFFF", "F4 90 80 80", "is not valid UTF-8: a code point past U+10FFFF"),
        raw("lead byte F5", "F5 80 80 80", "is not valid UTF-8: a byte that never occurs"),
        raw("byte FF", "FF", "is not valid UTF-8: a byte that never occurs"),
        raw("stray continuation byte", "80", "is not valid UTF-8"),
        raw("truncated sequence", "E2 82", "is not valid UTF-8"),
        raw("Latin-1 instead of UTF-8", "E9", "is not valid UTF-8"));
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Site site : sites()) {
      for (Defect defect : defects()) {
        if (site.field().equals("body") && defect.bytes()[0] == (byte) 0x5C) {
          continue; // an unknown field is ignored, its escapes never decoded; see below
        }
        cases.add(Arguments.of(site.field() + ": " + defect.name(), site, defect));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void unstorable_text_and_invalid_utf8_are_a_400_naming_the_field(
      String name, Site site, Defect defect) {
    long jobsBefore = jobCount();

    RawHttp.Response answer = submit(insert(site.body(), defect.bytes()));

    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    String where = site.field().equals("body") ? "the request body" : site.field();
    assertThat(answer.message()).startsWith(where).contains(defect.says());
    assertThat(jobCount()).isEqualTo(jobsBefore);
  }

  @Test
  void an_unknown_field_is_ignored_whatever_its_escapes_but_not_its_bytes() {
    String body =
        "{\"input_images\":[{\"file_name\":\"a.png\",\"image_src\":{\"base64\":\""
            + PNG
            + "\"}}],\"prompt\":\"p\",\"note\":\"\\u0000\\ud800\"}";

    assertThat(submit(body.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(202);
  }

  static Stream<Arguments> duplicates() {
    String inline = "{\"file_name\":\"a.png\",\"image_src\":{\"base64\":\"" + PNG + "\"}}";
    return Stream.of(
        Arguments.of("{\"input_images\":[" + inline + "],\"prompt\":\"p\",\"n\":1,\"n\":10}", "n"),
        Arguments.of(
            "{\"prompt\":\"a\",\"input_images\":[" + inline + "],\"prompt\":\"b\"}", "prompt"),
        Arguments.of(
            "{\"input_images\":[" + inline + "],\"input_images\":[],\"prompt\":\"p\"}",
            "input_images"),
        Arguments.of(
            "{\"input_images\":[{\"file_name\":\"a\",\"file_name\":\"b\",\"image_src\":{\"base64\":\""
                + PNG
                + "\"}}],\"prompt\":\"p\"}",
            "input_images[0].file_name"),
        Arguments.of(
            "{\"input_images\":[{\"file_name\":\"a\",\"image_src\":{\"url\":\"https://a.test/a\","
                + "\"url\":\"https://b.test/b\"}}],\"prompt\":\"p\"}",
            "input_images[0].image_src.url"),
        Arguments.of("{\"input_images\":[" + inline + "],\"prompt\":\"p\",\"x\":1,\"x\":2}", "x"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("duplicates")
  void a_key_given_twice_is_a_400_naming_it(String body, String field) {
    long jobsBefore = jobCount();

    RawHttp.Response answer = submit(body.getBytes(StandardCharsets.UTF_8));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.message())
        .isEqualTo(field + " appears more than once in the request body; send each field once");
    assertThat(jobCount()).isEqualTo(jobsBefore);
  }

  @Test
  void a_value_the_database_refuses_is_a_400_not_an_outage() {
    // whatever slipped past intake's checks, Postgres' verdict on the data is not an outage
    jdbc.sql(
            """
            CREATE FUNCTION refuse_prompt() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'invalid byte sequence' USING ERRCODE = 'character_not_in_repertoire';
            END $$
            """)
        .update();
    jdbc.sql(
            "CREATE TRIGGER refuse_prompt BEFORE INSERT ON edit_jobs FOR EACH ROW"
                + " WHEN (NEW.prompt = 'refused by the database') EXECUTE FUNCTION refuse_prompt()")
        .update();
    try {
      String body =
          "{\"input_images\":[{\"file_name\":\"a.png\",\"image_src\":{\"base64\":\""
              + PNG
              + "\"}}],\"prompt\":\"refused by the database\"}";

      RawHttp.Response answer = submit(body.getBytes(StandardCharsets.UTF_8));

      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.header("Retry-After")).isNull();
      assertThat(answer.message()).contains("holds a value that cannot be stored");
    } finally {
      jdbc.sql("DROP TRIGGER IF EXISTS refuse_prompt ON edit_jobs").update();
      jdbc.sql("DROP FUNCTION IF EXISTS refuse_prompt()").update();
    }
  }

  private RawHttp.Response submit(byte[] body) {
    String head =
        "POST "
            + EDIT
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nPrefer: respond-async\r\n"
            + "Authorization: "
            + tenant.apiKey()
            + "\r\nTR-Dataset: "
            + tenant.datasetId()
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    request.writeBytes(body);
    return new RawHttp(port).exchange(request.toByteArray());
  }

  private static byte[] insert(String template, byte[] defect) {
    int at = template.indexOf('@');
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(template.substring(0, at).getBytes(StandardCharsets.UTF_8));
    out.writeBytes(defect);
    out.writeBytes(template.substring(at + 1).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static Defect text(String name, String escape, String says) {
    return new Defect(name, escape.getBytes(StandardCharsets.US_ASCII), says);
  }

  private static Defect raw(String name, String hex, String says) {
    return new Defect(name, HexFormat.of().parseHex(hex.replace(" ", "")), says);
  }
}
