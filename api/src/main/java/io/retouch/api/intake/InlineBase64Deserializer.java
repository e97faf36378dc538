package io.retouch.api.intake;

import io.retouch.api.http.JsonRules;
import io.retouch.common.edit.InlineBase64;
import io.retouch.common.edit.InlineBase64Decoder;
import io.retouch.common.validation.EditRequestValidator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdDeserializer;

/**
 * Reads {@code image_src.base64} by streaming its characters ({@link JsonParser#readString}) into
 * an {@link InlineBase64Decoder}, so the value never exists as a string: the request holds its
 * decoded bytes once, in the {@link InputSpools} of the read. A value that is not a string is the
 * same "wrong type" as for any string field; text that cannot be stored, the same 400.
 */
final class InlineBase64Deserializer extends StdDeserializer<InlineBase64> {

  InlineBase64Deserializer() {
    super(InlineBase64.class);
  }

  @Override
  public InlineBase64 deserialize(JsonParser p, DeserializationContext ctxt) {
    if (!p.hasToken(JsonToken.VALUE_STRING)) {
      return (InlineBase64) ctxt.handleUnexpectedToken(InlineBase64.class, p);
    }
    InputSpools spools = (InputSpools) ctxt.getAttribute(InputSpools.class);
    // bytes past the limit are counted for the 400, never kept
    InlineBase64Decoder decoder =
        new InlineBase64Decoder(spools.next(), EditRequestValidator.MAX_IMAGE_BYTES + 1);
    p.readString(decoder);
    decoder
        .textProblem()
        .ifPresent(
            problem -> {
              throw new JsonRules.UnstorableTextException(problem);
            });
    return decoder.finish();
  }
}
