package io.retouch.worker.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.common.image.ImageFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class UploadFileNameTest {

  static Object[][] names() {
    return new Object[][] {
      {"photo.png", "photo.png"},
      {"photo\\", "photo_"},
      {"C:\\Users\\me\\photo.png", "C:_Users_me_photo.png"},
      {"../../etc/passwd", ".._.._etc_passwd"},
      {"say \"cheese\".png", "say cheese.png"},
      {"line\r\nContent-Type: text/html.png", "lineContent-Type: text/html.png".replace('/', '_')},
      {"tab\there.png", "tabhere.png"},
      {"nul\u0000.png", "nul.png"},
      {"bidi\u202Egnp.exe", "bidignp.exe"},
      {"zero\u200Bwidth.png", "zerowidth.png"},
      {"lone\uD800surrogate.png", "lonesurrogate.png"},
      {"private\uE000use.png", "privateuse.png"},
      {"\"\"\\\\", "__"},
      {"\u0001\u0002", "image.png"},
      {"   ", "image.png"},
      {"Füße 写真 🎨.png", "Füße 写真 🎨.png"},
      {"x".repeat(200) + ".jpeg", "x".repeat(123) + ".jpeg"},
      {"y".repeat(200), "y".repeat(128)},
      {"🎨".repeat(200) + ".png", "🎨".repeat(124) + ".png"},
    };
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("names")
  void sanitizes_names_for_a_multipart_header(String original, String sent) {
    String name = UploadFileName.of(original, ImageFormat.PNG);
    assertThat(name).isEqualTo(sent);
    assertThat(name.codePointCount(0, name.length())).isLessThanOrEqualTo(UploadFileName.MAX_CHARS);
    assertThat(name).doesNotContain("\"", "\\", "\r", "\n");
  }
}
