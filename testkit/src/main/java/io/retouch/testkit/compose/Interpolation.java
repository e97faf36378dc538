package io.retouch.testkit.compose;

import java.util.Map;

/**
 * Compose's variable interpolation ({@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code
 * ${VAR-default}}, {@code ${VAR:?error}}, {@code ${VAR?error}}, {@code ${VAR:+alt}}, {@code
 * ${VAR+alt}}, {@code $$} for a literal {@code $}), against an explicit map of variables instead of
 * the shell environment, so a test sees the file as {@code docker compose} does on a machine where
 * none of them is set. Defaults and alternatives may themselves contain interpolations.
 */
final class Interpolation {

  private Interpolation() {}

  /**
   * Resolves every interpolation in {@code text}.
   *
   * @throws ComposeFileException for a malformed expression, or a {@code ?} form whose variable is
   *     missing (where {@code docker compose} would refuse the file)
   */
  static String resolve(String text, Map<String, String> variables) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '$' || i + 1 >= text.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = text.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (next == '{') {
        int end = closingBrace(text, i + 2);
        out.append(expression(text.substring(i + 2, end), variables, text));
        i = end + 1;
      } else if (isNameStart(next)) {
        int end = i + 2;
        while (end < text.length() && isNamePart(text.charAt(end))) {
          end++;
        }
        String value = variables.get(text.substring(i + 1, end));
        out.append(value == null ? "" : value);
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static int closingBrace(String text, int from) {
    int depth = 1;
    for (int j = from; j < text.length(); j++) {
      char c = text.charAt(j);
      if (c == '$' && j + 1 < text.length() && text.charAt(j + 1) == '$') {
        j++;
      } else if (c == '$' && j + 1 < text.length() && text.charAt(j + 1) == '{') {
        depth++;
        j++;
      } else if (c == '}' && --depth == 0) {
        return j;
      }
    }
    throw new ComposeFileException("unterminated ${ in '" + text + "'");
  }

  private static String expression(String expr, Map<String, String> variables, String text) {
    int nameEnd = 0;
    while (nameEnd < expr.length() && isNamePart(expr.charAt(nameEnd))) {
      nameEnd++;
    }
    String name = expr.substring(0, nameEnd);
    if (name.isEmpty() || !isNameStart(name.charAt(0))) {
      throw new ComposeFileException("invalid interpolation '${" + expr + "}' in '" + text + "'");
    }
    String value = variables.get(name);
    if (nameEnd == expr.length()) {
      return value == null ? "" : value;
    }
    boolean colon = expr.charAt(nameEnd) == ':';
    int opAt = colon ? nameEnd + 1 : nameEnd;
    if (opAt >= expr.length()) {
      throw new ComposeFileException("invalid interpolation '${" + expr + "}' in '" + text + "'");
    }
    char op = expr.charAt(opAt);
    String argument = expr.substring(opAt + 1);
    // With ':' an empty value counts as missing, as in the shell.
    boolean present = value != null && (!colon || !value.isEmpty());
    return switch (op) {
      case '-' -> present ? value : resolve(argument, variables);
      case '+' -> present ? resolve(argument, variables) : "";
      case '?' -> {
        if (!present) {
          String message = resolve(argument, variables);
          throw new ComposeFileException(
              "required variable "
                  + name
                  + " is missing a value"
                  + (message.isEmpty() ? "" : ": " + message));
        }
        yield value;
      }
      default ->
          throw new ComposeFileException(
              "invalid interpolation '${" + expr + "}' in '" + text + "'");
    };
  }

  private static boolean isNameStart(char c) {
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  private static boolean isNamePart(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
  }
}
