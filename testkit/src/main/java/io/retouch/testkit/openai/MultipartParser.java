package io.retouch.testkit.openai;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A small {@code multipart/form-data} parser (RFC 7578 over RFC 2046) for fully read bodies.
 *
 * <p>Transfer encodings are already undone by the HTTP server, so this only deals with the
 * multipart framing: preamble, delimiters, transport padding, part headers and the close delimiter.
 */
final class MultipartParser {

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

  private MultipartParser() {}

  /**
   * Returns the boundary of a {@code multipart/form-data} content type.
   *
   * @throws MalformedMultipartException if the type is something else or has no usable boundary
   */
  static String boundaryOf(String contentType) {
    if (contentType == null) {
      throw new MalformedMultipartException("missing Content-Type");
    }
    HeaderParameters header = HeaderParameters.parse(contentType);
    if (!header.value().equalsIgnoreCase("multipart/form-data")) {
      throw new MalformedMultipartException("not multipart/form-data: " + header.value());
    }
    String boundary = header.get("boundary");
    if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
      throw new MalformedMultipartException("missing or invalid boundary");
    }
    return boundary;
  }

  /** Parses every part of {@code body}; the preamble and the epilogue are ignored. */
  static List<MultipartPart> parse(byte[] body, String boundary) {
    byte[] dashBoundary = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    byte[] delimiter = concat(CRLF, dashBoundary);

    int pos;
    if (startsWith(body, 0, dashBoundary)) {
      pos = dashBoundary.length;
    } else {
      int first = indexOf(body, delimiter, 0);
      if (first < 0) {
        throw new MalformedMultipartException("boundary not found");
      }
      pos = first + delimiter.length;
    }

    List<MultipartPart> parts = new ArrayList<>();
    while (true) {
      if (startsWith(body, pos, new byte[] {'-', '-'})) {
        return parts;
      }
      pos = skipPaddingAndLineEnd(body, pos);

      int contentStart;
      String headerBlock;
      if (startsWith(body, pos, CRLF)) {
        headerBlock = "";
        contentStart = pos + CRLF.length;
      } else {
        int headerEnd = indexOf(body, HEADER_END, pos);
        if (headerEnd < 0) {
          throw new MalformedMultipartException("unterminated part headers");
        }
        headerBlock = new String(body, pos, headerEnd - pos, StandardCharsets.UTF_8);
        contentStart = headerEnd + HEADER_END.length;
      }

      int next = indexOf(body, delimiter, contentStart);
      if (next < 0) {
        throw new MalformedMultipartException("missing closing boundary");
      }
      parts.add(toPart(headerBlock, Arrays.copyOfRange(body, contentStart, next)));
      pos = next + delimiter.length;
    }
  }

  private static MultipartPart toPart(String headerBlock, byte[] content) {
    String disposition = null;
    String contentType = null;
    for (String line : unfold(headerBlock)) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new MalformedMultipartException("bad part header: " + line);
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      switch (name) {
        case "content-disposition" -> disposition = value;
        case "content-type" -> contentType = value;
        default -> {}
      }
    }
    if (disposition == null) {
      throw new MalformedMultipartException("part without Content-Disposition");
    }
    HeaderParameters parsed = HeaderParameters.parse(disposition);
    String name = parsed.get("name");
    if (!parsed.value().equalsIgnoreCase("form-data") || name == null) {
      throw new MalformedMultipartException("part is not a named form-data part");
    }
    return new MultipartPart(name, parsed.get("filename"), contentType, content);
  }

  /** Splits header lines, joining obsolete folded continuation lines onto their header. */
  private static List<String> unfold(String headerBlock) {
    List<String> lines = new ArrayList<>();
    if (headerBlock.isEmpty()) {
      return lines;
    }
    for (String line : headerBlock.split("\r\n", -1)) {
      boolean continuation = !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
      if (continuation && !lines.isEmpty()) {
        lines.set(lines.size() - 1, lines.getLast() + " " + line.trim());
      } else {
        lines.add(line);
      }
    }
    return lines;
  }

  private static int skipPaddingAndLineEnd(byte[] body, int pos) {
    while (pos < body.length && (body[pos] == ' ' || body[pos] == '\t')) {
      pos++;
    }
    if (!startsWith(body, pos, CRLF)) {
      throw new MalformedMultipartException("boundary line not followed by CRLF");
    }
    return pos + CRLF.length;
  }

  private static boolean startsWith(byte[] haystack, int from, byte[] prefix) {
    if (from < 0 || from + prefix.length > haystack.length) {
      return false;
    }
    return Arrays.equals(haystack, from, from + prefix.length, prefix, 0, prefix.length);
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    byte first = needle[0];
    int last = haystack.length - needle.length;
    for (int i = from; i <= last; i++) {
      if (haystack[i] == first && startsWith(haystack, i, needle)) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
