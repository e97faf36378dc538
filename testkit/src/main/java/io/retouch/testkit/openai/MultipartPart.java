package io.retouch.testkit.openai;

/**
 * One part of a {@code multipart/form-data} body.
 *
 * @param name the form field name from {@code Content-Disposition}
 * @param fileName the {@code filename} parameter, or null for a plain field
 * @param contentType the part's {@code Content-Type} header as sent, or null when absent
 * @param content the raw bytes of the part
 */
record MultipartPart(String name, String fileName, String contentType, byte[] content) {}
