package io.retouch.testkit.openai;

/**
 * An image part the fake received.
 *
 * @param fieldName {@code image} or {@code image[]}
 * @param fileName the part's {@code filename}, or null when the client sent none
 * @param contentType the part's Content-Type header as sent, or null when absent
 * @param bytes the size of the part's content
 * @param sha256 lower-case hex SHA-256 of the part's content
 */
public record RecordedImage(
    String fieldName, String fileName, String contentType, int bytes, String sha256) {}
