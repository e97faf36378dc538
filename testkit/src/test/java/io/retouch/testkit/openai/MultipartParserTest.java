package io.retouch.testkit.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartParserTest {

  /** A part as a test sees it: headers and the whole content. */
  record Part(String name, String fileName, String contentType, byte[] content) {}

  static List<Part> parse(byte[] body, String boundary) {
    return parse(new java.io.ByteArrayInputStream(body), boundary);
  }

  static List<Part> parse(java.io.InputStream body, String boundary) {
    List<Part> parts = new java.util.ArrayList<>();
    try {
      MultipartParser.parse(
          body,
          boundary,
          (h, content) ->
              parts.add(new Part(h.name(), h.fileName(), h.contentType(), content.readAllBytes())));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return parts;
  }

  @Test
  void streamsLargeContentWhoseBytesLookLikeTheDelimiterAcrossBufferEdges() {
    // content with near-delimiters at every position relative to the parser's 64 KiB window,
    // delivered in reads of odd sizes
    StringBuilder content = new StringBuilder();
    while (content.length() < 300_000) {
      content.append("x".repeat(content.length() % 97)).append("\r\n--boundar").append("\r\n-");
    }
    byte[] body =
        bytes(
            "--boundary\r\nContent-Disposition: form-data; name=\"big\"\r\n\r\n"
                + content
                + "\r\n--boundary\r\nContent-Disposition: form-data; name=\"after\"\r\n\r\nok"
                + "\r\n--boundary--");
    for (int chunk : new int[] {1, 7, 4096, 65_536, 1 << 20}) {
      var trickle =
          new java.io.ByteArrayInputStream(body) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
              return super.read(b, off, Math.min(len, chunk));
            }
          };
      List<Part> parts = parse(trickle, "boundary");
      assertThat(parts).extracting(Part::name).containsExactly("big", "after");
      assertThat(new String(parts.get(0).content(), StandardCharsets.ISO_8859_1))
          .isEqualTo(content.toString());
      assertThat(parts.get(1).content()).isEqualTo(bytes("ok"));
    }
  }

  @Test
  void aHandlerThatReadsNothingStillGetsEveryPart() throws java.io.IOException {
    byte[] body =
        new MultipartBody("b")
            .field("a", "1".repeat(100_000))
            .file("image[]", "x.png", "image/png", new byte[200_000])
            .field("c", "3")
            .build();
    List<String> names = new java.util.ArrayList<>();
    MultipartParser.parse(
        new java.io.ByteArrayInputStream(body), "b", (h, c) -> names.add(h.name()));
    assertThat(names).containsExactly("a", "image[]", "c");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void parsesFieldsAndFilesInOrder() {
    byte[] png = TestImages.png(4, 4, java.awt.Color.RED);
    MultipartBody body =
        new MultipartBody("xyz")
            .field("model", "gpt-image-2.6-sunburst")
            .file("image[]", "a.png", "image/png", png)
            .field("prompt", "Grüße");

    List<Part> parts = parse(body.build(), "xyz");

    assertThat(parts).extracting(Part::name).containsExactly("model", "image[]", "prompt");
    assertThat(parts.get(0).fileName()).isNull();
    assertThat(parts.get(1).fileName()).isEqualTo("a.png");
    assertThat(parts.get(1).contentType()).isEqualTo("image/png");
    assertThat(parts.get(1).content()).isEqualTo(png);
    assertThat(new String(parts.get(2).content(), StandardCharsets.UTF_8)).isEqualTo("Grüße");
  }

  @Test
  void contentMayContainLineBreaksAndNearBoundaries() {
    String tricky = "line1\r\n--b\r\n--bo\r\n\r\n-- boundary\r\nend";
    byte[] body =
        bytes(
            "--boundary\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n"
                + tricky
                + "\r\n--boundary--\r\n");

    assertThat(parse(body, "boundary").getFirst().content()).isEqualTo(bytes(tricky));
  }

  @Test
  void ignoresPreambleEpilogueAndTransportPadding() {
    byte[] body =
        bytes(
            "This is the preamble.\r\n--b \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"
                + "\r\n--b\r\ncontent-disposition: form-data; name=\"b\"\r\n\r\n2"
                + "\r\n--b--\r\nThis is the epilogue, --b\r\n");

    List<Part> parts = parse(body, "b");

    assertThat(parts).extracting(Part::name).containsExactly("a", "b");
    assertThat(parts).extracting(p -> new String(p.content())).containsExactly("1", "2");
  }

  @Test
  void acceptsEmptyContentAndEmptyForm() {
    byte[] emptyValue = bytes("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n--b--");
    assertThat(parse(emptyValue, "b").getFirst().content()).isEmpty();
    assertThat(parse(bytes("--b--\r\n"), "b")).isEmpty();
  }

  @Test
  void handlesQuotedEscapedAndExtendedParameters() {
    byte[] body =
        bytes(
            "--b\r\nContent-Disposition: form-data; name=\"a;b\"; filename=\"x\\\"y%22.png\"\r\n"
                + "Content-Type: IMAGE/PNG; foo=bar\r\n\r\nv\r\n"
                + "--b\r\nContent-Disposition: form-data;\r\n name=\"f\";"
                + " filename=\"fallback.png\"; filename*=UTF-8''%C3%A9t%C3%A9+1.png\r\n\r\nw\r\n"
                + "--b--");

    List<Part> parts = parse(body, "b");

    assertThat(parts.get(0).name()).isEqualTo("a;b");
    assertThat(parts.get(0).fileName()).isEqualTo("x\"y\".png");
    assertThat(parts.get(0).contentType()).isEqualTo("IMAGE/PNG; foo=bar");
    assertThat(parts.get(1).name()).isEqualTo("f");
    assertThat(parts.get(1).fileName()).isEqualTo("été+1.png");
  }

  @Test
  void readsBoundaryFromContentType() {
    assertThat(MultipartParser.boundaryOf("multipart/form-data; boundary=abc")).isEqualTo("abc");
    assertThat(MultipartParser.boundaryOf("Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b:c\""))
        .isEqualTo("a b:c");
    assertThatThrownBy(() -> MultipartParser.boundaryOf("application/json"))
        .isInstanceOf(MalformedMultipartException.class);
    assertThatThrownBy(() -> MultipartParser.boundaryOf("multipart/form-data"))
        .isInstanceOf(MalformedMultipartException.class);
    assertThatThrownBy(() -> MultipartParser.boundaryOf(null))
        .isInstanceOf(MalformedMultipartException.class);
  }

  @Test
  void rejectsMalformedBodies() {
    String part = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv";
    assertThatThrownBy(() -> parse(bytes(part), "b"))
        .isInstanceOf(MalformedMultipartException.class)
        .hasMessageContaining("closing boundary");
    assertThatThrownBy(() -> parse(bytes("no boundary here"), "b"))
        .isInstanceOf(MalformedMultipartException.class);
    assertThatThrownBy(() -> parse(bytes("--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--"), "b"))
        .hasMessageContaining("Content-Disposition");
    assertThatThrownBy(
            () -> parse(bytes("--b\r\nContent-Disposition: form-data\r\n\r\nv\r\n--b--"), "b"))
        .hasMessageContaining("named");
    assertThatThrownBy(
            () ->
                parse(
                    bytes("--bX\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--b--"), "b"))
        .isInstanceOf(MalformedMultipartException.class);
  }
}
