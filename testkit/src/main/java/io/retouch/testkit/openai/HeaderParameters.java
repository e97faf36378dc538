package io.retouch.testkit.openai;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Splits a header value such as {@code form-data; name="image[]"; filename="a.png"} into its
 * leading value and its parameters (RFC 9110 parameters, quoted strings with backslash escapes).
 */
record HeaderParameters(String value, Map<String, String> parameters) {

  /** Parses a header value; parameter names are lower-cased, later duplicates are ignored. */
  static HeaderParameters parse(String header) {
    int semicolon = indexOfUnquoted(header, ';', 0);
    String value = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
    Map<String, String> parameters = new LinkedHashMap<>();
    int pos = semicolon;
    while (pos >= 0 && pos < header.length()) {
      int next = indexOfUnquoted(header, ';', pos + 1);
      String item = header.substring(pos + 1, next < 0 ? header.length() : next).trim();
      int eq = item.indexOf('=');
      if (eq > 0) {
        String name = item.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        parameters.putIfAbsent(name, unquote(item.substring(eq + 1).trim()));
      }
      pos = next;
    }
    return new HeaderParameters(value, parameters);
  }

  /** The parameter, or null; an RFC 5987 {@code name*} form wins over the plain one. */
  String get(String name) {
    String extended = parameters.get(name + "*");
    if (extended != null) {
      String decoded = decodeExtended(extended);
      if (decoded != null) {
        return decoded;
      }
    }
    return parameters.get(name);
  }

  private static int indexOfUnquoted(String s, char wanted, int from) {
    boolean quoted = false;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted && c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == wanted) {
        return i;
      }
    }
    return -1;
  }

  private static String unquote(String raw) {
    if (raw.length() < 2 || raw.charAt(0) != '"' || raw.charAt(raw.length() - 1) != '"') {
      return raw;
    }
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 1; i < raw.length() - 1; i++) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < raw.length() - 1) {
        c = raw.charAt(++i);
      }
      out.append(c);
    }
    // Browsers and the OpenAI SDKs escape these three characters in names the WHATWG way.
    return out.toString().replace("%22", "\"").replace("%0D", "\r").replace("%0A", "\n");
  }

  /** Decodes {@code charset'lang'pct-encoded}; null when it is not in that form. */
  private static String decodeExtended(String raw) {
    int first = raw.indexOf('\'');
    int second = first < 0 ? -1 : raw.indexOf('\'', first + 1);
    if (second < 0) {
      return null;
    }
    try {
      Charset charset = Charset.forName(raw.substring(0, first));
      // URLDecoder would turn '+' into a space, which RFC 5987 does not do.
      return URLDecoder.decode(raw.substring(second + 1).replace("+", "%2B"), charset);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
