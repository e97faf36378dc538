package io.retouch.testkit.openai;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds {@code multipart/form-data} bodies by hand, so tests control every byte. */
final class MultipartBody {

  private final String boundary;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  MultipartBody(String boundary) {
    this.boundary = boundary;
  }

  MultipartBody() {
    this("----retouch-test-boundary-7MA4YWxkTrZu0gW");
  }

  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  MultipartBody field(String name, String value) {
    head("Content-Disposition: form-data; name=\"" + name + "\"\r\n");
    out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    return this;
  }

  MultipartBody file(String name, String fileName, String contentType, byte[] content) {
    String headers =
        "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"\r\n";
    if (contentType != null) {
      headers += "Content-Type: " + contentType + "\r\n";
    }
    head(headers);
    out.writeBytes(content);
    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    return this;
  }

  /** The body with its close delimiter. */
  byte[] build() {
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    copy.writeBytes(out.toByteArray());
    copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return copy.toByteArray();
  }

  private void head(String headers) {
    out.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.UTF_8));
  }
}
