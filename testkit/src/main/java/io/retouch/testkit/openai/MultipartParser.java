package io.retouch.testkit.openai;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A streaming {@code multipart/form-data} parser (RFC 7578 over RFC 2046): each part's content is
 * handed over as a stream that ends at the next delimiter, so a request with sixteen 50 MB images
 * costs one 64 KiB buffer, not the body twice over.
 *
 * <p>Transfer encodings are already undone by the HTTP server, so this only deals with the
 * multipart framing: preamble, delimiters, transport padding, part headers and the close delimiter.
 */
final class MultipartParser {

  private static final int BUFFER_BYTES = 64 * 1024;
  private static final int MAX_HEADER_BYTES = 16 * 1024;

  /** Receives each part in order; it may read its content, or leave it to be skipped. */
  @FunctionalInterface
  interface PartHandler {
    void part(PartHeaders headers, InputStream content) throws IOException;
  }

  /**
   * A part's headers.
   *
   * @param name the form field name from {@code Content-Disposition}
   * @param fileName the {@code filename} parameter, or null for a plain field
   * @param contentType the part's {@code Content-Type} header as sent, or null when absent
   */
  record PartHeaders(String name, String fileName, String contentType) {}

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

  /**
   * Reads every part of {@code body} in order; the preamble and the epilogue are ignored.
   *
   * @throws MalformedMultipartException when the framing is broken
   */
  static void parse(InputStream body, String boundary, PartHandler handler) throws IOException {
    Window window = new Window(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1));
    window.skipPreamble();
    while (!window.skipIf("--")) {
      window.skipPaddingAndLineEnd();
      PartHeaders headers = toPart(window.headerBlock());
      Window.Content content = window.new Content();
      handler.part(headers, content);
      content.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }

  private static PartHeaders toPart(String headerBlock) {
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
    return new PartHeaders(name, parsed.get("filename"), contentType);
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

  /**
   * A sliding window over the body. It starts with a virtual CRLF, so that a body opening with
   * {@code --boundary} begins with a delimiter like every later part does.
   */
  private static final class Window {
    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int pos;
    private int limit;
    private int clearBefore; // no delimiter starts before this index
    private boolean eof;

    Window(InputStream in, byte[] delimiter) {
      this.in = in;
      this.delimiter = delimiter;
      buffer[0] = '\r';
      buffer[1] = '\n';
      limit = 2;
    }

    /** Makes at least {@code n} bytes available from {@code pos}; false at the end of the body. */
    boolean fill(int n) throws IOException {
      if (limit - pos >= n) {
        return true;
      }
      if (pos > 0) {
        System.arraycopy(buffer, pos, buffer, 0, limit - pos);
        limit -= pos;
        clearBefore = Math.max(0, clearBefore - pos);
        pos = 0;
      }
      while (limit - pos < n && !eof) {
        int read = in.read(buffer, limit, buffer.length - limit);
        if (read < 0) {
          eof = true;
        } else {
          limit += read;
        }
      }
      return limit - pos >= n;
    }

    /** More bytes, whatever is there already; false at the end of the body. */
    boolean more() throws IOException {
      return fill(limit - pos + 1);
    }

    int indexOf(byte[] needle, int from) {
      for (int i = from; i <= limit - needle.length; i++) {
        if (buffer[i] == needle[0]
            && java.util.Arrays.equals(buffer, i, i + needle.length, needle, 0, needle.length)) {
          return i;
        }
      }
      return -1;
    }

    void skipPreamble() throws IOException {
      while (true) {
        fill(delimiter.length);
        int at = indexOf(delimiter, pos);
        if (at >= 0) {
          pos = at + delimiter.length;
          return;
        }
        if (eof) {
          throw new MalformedMultipartException("boundary not found");
        }
        pos = Math.max(pos, limit - delimiter.length + 1);
        more();
      }
    }

    boolean skipIf(String text) throws IOException {
      byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
      if (fill(bytes.length)
          && java.util.Arrays.equals(buffer, pos, pos + bytes.length, bytes, 0, bytes.length)) {
        pos += bytes.length;
        return true;
      }
      return false;
    }

    void skipPaddingAndLineEnd() throws IOException {
      while (fill(1) && (buffer[pos] == ' ' || buffer[pos] == '\t')) {
        pos++;
      }
      if (!skipIf("\r\n")) {
        throw new MalformedMultipartException("boundary line not followed by CRLF");
      }
    }

    String headerBlock() throws IOException {
      if (skipIf("\r\n")) {
        return "";
      }
      byte[] end = {'\r', '\n', '\r', '\n'};
      while (true) {
        int at = indexOf(end, pos);
        if (at >= 0) {
          String block = new String(buffer, pos, at - pos, StandardCharsets.UTF_8);
          pos = at + end.length;
          return block;
        }
        if (limit - pos > MAX_HEADER_BYTES) {
          throw new MalformedMultipartException("part headers longer than " + MAX_HEADER_BYTES);
        }
        if (!more()) {
          throw new MalformedMultipartException("unterminated part headers");
        }
      }
    }

    /** One part's content: the bytes up to the next delimiter, which it then steps over. */
    final class Content extends InputStream {
      private boolean done;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (done) {
          return -1;
        }
        if (len == 0) {
          return 0;
        }
        while (true) {
          fill(delimiter.length);
          int at = indexOf(delimiter, Math.max(pos, clearBefore));
          if (at == pos) {
            done = true;
            pos += delimiter.length;
            return -1;
          }
          int available = at >= 0 ? at - pos : limit - pos - (delimiter.length - 1);
          if (at < 0) {
            clearBefore = Math.max(pos, limit - delimiter.length + 1);
          }
          if (available > 0) {
            int n = Math.min(len, available);
            System.arraycopy(buffer, pos, b, off, n);
            pos += n;
            return n;
          }
          if (!more()) {
            throw new MalformedMultipartException("missing closing boundary");
          }
        }
      }
    }
  }
}
