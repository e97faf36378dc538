package io.retouch.common.edit;

import io.retouch.common.spool.SpooledBytes;

/**
 * An {@code image_src.base64} value as read: decoded while it arrived (by {@link
 * InlineBase64Decoder}), so the request holds its image once, as bytes, and never as text. Whether
 * it was valid is judged by {@link io.retouch.common.validation.EditRequestValidator}, in body
 * order with the other rules.
 *
 * @param prefix the {@code data:image/…;base64,} prefix it started with, or {@code ""}
 * @param payloadChars characters after the prefix, white space not counted
 * @param valid whether the payload is base64 as {@link java.util.Base64#getDecoder()} reads it
 * @param decodedBytes how many bytes it decodes to (up to where it stopped being valid)
 * @param decoded the decoded bytes, cut off past the decoder's limit
 */
public record InlineBase64(
    String prefix, long payloadChars, boolean valid, long decodedBytes, SpooledBytes decoded)
    implements AutoCloseable {

  /** Decodes a value already held as a string, in memory. */
  public static InlineBase64 of(String value) {
    InlineBase64Decoder decoder = new InlineBase64Decoder(SpooledBytes.inMemory(), Long.MAX_VALUE);
    decoder.write(value.toCharArray(), 0, value.length());
    return decoder.finish();
  }

  @Override
  public void close() {
    decoded.close();
  }
}
