package io.retouch.common.edit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StorableTextTest {

  static Object[][] texts() {
    return new Object[][] {
      {"plain", null},
      {"", null},
      {"tabs\tand\nnewlines\r", null},
      {"\u0001 other controls are text", null},
      {"emoji 🎨 and 写真", null},
      {"\uD83C\uDFA8", null},
      {"\uFFFF non-characters are stored", null},
      {"a\u0000b", "contains U+0000 (NUL) at character 1"},
      {"\u0000", "contains U+0000 (NUL) at character 0"},
      {"a\uD800b", "unpaired surrogate (\\uD800) at character 1"},
      {"a\uDC00", "unpaired surrogate (\\uDC00) at character 1"},
      {"\uD800", "unpaired surrogate (\\uD800) at character 0"},
      {"\uDFA8\uD83C", "unpaired surrogate (\\uDFA8) at character 0"},
      {"🎨\uD83C", "unpaired surrogate (\\uD83C) at character 2"},
    };
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("texts")
  void nul_and_unpaired_surrogates_cannot_be_stored(String text, String problem) {
    if (problem == null) {
      assertThat(StorableText.problem(text)).isEmpty();
    } else {
      assertThat(StorableText.problem(text))
          .hasValueSatisfying(p -> assertThat(p).contains(problem));
    }
  }
}
