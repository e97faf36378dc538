package io.retouch.testkit.openai;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An image part of an edit request, read as it streams by: its size, its digest, its first bytes
 * (the signature check needs no more) and, for the first input only and only when small, its bytes
 * for the thumbnail in the fake's answers. Nothing else of it is kept.
 *
 * @param preview the whole content when it was kept, else null
 */
record UploadedImage(
    String fieldName,
    String fileName,
    String contentType,
    long size,
    String sha256,
    byte[] head,
    byte[] preview) {

  /** The largest input kept for the thumbnail; bigger ones get an answer without one. */
  static final int PREVIEW_LIMIT = 2 * 1024 * 1024;

  private static final int HEAD_BYTES = 64;

  static UploadedImage read(
      MultipartParser.PartHeaders part, InputStream content, boolean keepPreview)
      throws IOException {
    MessageDigest digest = sha256Digest();
    byte[] head = new byte[HEAD_BYTES];
    int headLength = 0;
    ByteArrayOutputStream preview = keepPreview ? new ByteArrayOutputStream() : null;
    long size = 0;
    byte[] buffer = new byte[16 * 1024];
    for (int n; (n = content.read(buffer)) >= 0; ) {
      digest.update(buffer, 0, n);
      int toHead = Math.min(n, HEAD_BYTES - headLength);
      System.arraycopy(buffer, 0, head, headLength, toHead);
      headLength += toHead;
      size += n;
      if (preview != null) {
        if (size > PREVIEW_LIMIT) {
          preview = null;
        } else {
          preview.write(buffer, 0, n);
        }
      }
    }
    return new UploadedImage(
        part.name(),
        part.fileName(),
        part.contentType(),
        size,
        HexFormat.of().formatHex(digest.digest()),
        Arrays.copyOf(head, headLength),
        preview == null ? null : preview.toByteArray());
  }

  RecordedImage toRecord() {
    return new RecordedImage(fieldName, fileName, contentType, (int) size, sha256);
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256Digest().digest(bytes));
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
