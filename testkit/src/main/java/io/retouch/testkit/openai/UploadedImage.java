package io.retouch.testkit.openai;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** An image part of an edit request, with its digest computed once. */
record UploadedImage(
    String fieldName, String fileName, String contentType, byte[] bytes, String sha256) {

  static UploadedImage of(MultipartPart part) {
    return new UploadedImage(
        part.name(), part.fileName(), part.contentType(), part.content(), sha256(part.content()));
  }

  RecordedImage toRecord() {
    return new RecordedImage(fieldName, fileName, contentType, bytes.length, sha256);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
