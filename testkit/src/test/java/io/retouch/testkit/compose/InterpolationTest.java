package io.retouch.testkit.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpolationTest {

  private static final Map<String, String> VARS = Map.of("SET", "value", "EMPTY", "");

  private static String resolve(String text) {
    return Interpolation.resolve(text, VARS);
  }

  @Test
  void plainTextAndEscapedDollarsPassThrough() {
    assertThat(resolve("no variables")).isEqualTo("no variables");
    assertThat(resolve("$$HOME and $${X}")).isEqualTo("$HOME and ${X}");
    assertThat(resolve("cost: 5$")).isEqualTo("cost: 5$");
    assertThat(resolve("a $ b")).isEqualTo("a $ b");
  }

  @Test
  void bareAndBracedVariables() {
    assertThat(resolve("$SET/${SET}")).isEqualTo("value/value");
    assertThat(resolve("[$UNSET][${UNSET}]")).isEqualTo("[][]");
    assertThat(resolve("${SET}suffix $SET-x")).isEqualTo("valuesuffix value-x");
  }

  @Test
  void defaultsWithAndWithoutColon() {
    assertThat(resolve("${UNSET:-d}")).isEqualTo("d");
    assertThat(resolve("${EMPTY:-d}")).isEqualTo("d");
    assertThat(resolve("${SET:-d}")).isEqualTo("value");
    assertThat(resolve("${UNSET-d}")).isEqualTo("d");
    assertThat(resolve("${EMPTY-d}")).isEmpty();
    assertThat(resolve("${UNSET:-}")).isEmpty();
    assertThat(resolve("${UNSET:-https://api.openai.com/v1}"))
        .isEqualTo("https://api.openai.com/v1");
  }

  @Test
  void nestedDefaults() {
    assertThat(resolve("${UNSET:-${SET}}")).isEqualTo("value");
    assertThat(resolve("${UNSET:-${ALSO_UNSET:-deep}}")).isEqualTo("deep");
    assertThat(resolve("${UNSET:-a$${b}}")).isEqualTo("a${b}");
  }

  @Test
  void alternatives() {
    assertThat(resolve("${SET:+alt}")).isEqualTo("alt");
    assertThat(resolve("${EMPTY:+alt}")).isEmpty();
    assertThat(resolve("${EMPTY+alt}")).isEqualTo("alt");
    assertThat(resolve("${UNSET+alt}")).isEmpty();
  }

  @Test
  void requiredVariablesFailWhenMissing() {
    assertThat(resolve("${SET:?needed}")).isEqualTo("value");
    assertThat(resolve("${EMPTY?needed}")).isEmpty();
    assertThatThrownBy(() -> resolve("${UNSET:?set UNSET}"))
        .isInstanceOf(ComposeFileException.class)
        .hasMessageContaining("UNSET")
        .hasMessageContaining("set UNSET");
    assertThatThrownBy(() -> resolve("${EMPTY:?}")).isInstanceOf(ComposeFileException.class);
    assertThatThrownBy(() -> resolve("${UNSET?}")).isInstanceOf(ComposeFileException.class);
  }

  @Test
  void malformedExpressionsAreRefused() {
    assertThatThrownBy(() -> resolve("${UNCLOSED")).isInstanceOf(ComposeFileException.class);
    assertThatThrownBy(() -> resolve("${}")).isInstanceOf(ComposeFileException.class);
    assertThatThrownBy(() -> resolve("${1X}")).isInstanceOf(ComposeFileException.class);
    assertThatThrownBy(() -> resolve("${X:}")).isInstanceOf(ComposeFileException.class);
    assertThatThrownBy(() -> resolve("${X*y}")).isInstanceOf(ComposeFileException.class);
  }
}
