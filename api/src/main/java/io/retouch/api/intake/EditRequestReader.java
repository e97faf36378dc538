package io.retouch.api.intake;

import io.retouch.api.ApiProperties;
import io.retouch.api.http.ApiException;
import io.retouch.common.edit.EditImageRequest;
import io.retouch.common.edit.InvalidRequestException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads the submission body with its own mapper: strings as long as the body limit allows (an
 * inline image is one long base64 string, past Jackson's 20M-character default), no silent type
 * coercion ({@code "n": "3"} is an error), and every parse failure turned into a 400 that names the
 * field, never a 500. Bodies over {@code retouch.api.max-body-bytes} are a 413, whether they
 * announce their length or arrive chunked.
 */
@Component
public class EditRequestReader {

  private final JsonMapper mapper;
  private final long maxBodyBytes;

  public EditRequestReader(ApiProperties props) {
    this.maxBodyBytes = props.maxBodyBytes();
    int maxString = (int) Math.min(Integer.MAX_VALUE - 8, props.maxBodyBytes());
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxStringLength(maxString).build())
            .build();
    this.mapper =
        JsonMapper.builder(factory)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // a number or boolean where a string belongs is a mistake, not a string
            .withCoercionConfig(
                LogicalType.Textual,
                config ->
                    config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();
  }

  public EditImageRequest read(InputStream body, long contentLength) {
    if (contentLength > maxBodyBytes) {
      throw tooLarge();
    }
    try {
      EditImageRequest request =
          mapper.readValue(new LimitedInputStream(body, maxBodyBytes), EditImageRequest.class);
      if (request == null) {
        throw new InvalidRequestException("body", "the request body must be a JSON object");
      }
      return request;
    } catch (StreamReadException e) {
      if (causedByLimit(e)) {
        throw tooLarge();
      }
      throw new InvalidRequestException("body", "the request body is not valid JSON: " + brief(e));
    } catch (JacksonException e) {
      if (causedByLimit(e)) {
        throw tooLarge();
      }
      if (e.getPath().isEmpty()) {
        throw new InvalidRequestException("body", "the request body must be a JSON object");
      }
      String field = path(e);
      throw new InvalidRequestException(field, field + " has the wrong type");
    }
  }

  /** The request's fingerprint for {@code Idempotency-Key} comparisons. */
  public String fingerprint(EditImageRequest request) {
    return RequestFingerprint.of(request);
  }

  /** Jackson may wrap what the stream throws; the limit must still answer 413. */
  private static boolean causedByLimit(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApiException api && api.status() == HttpStatus.CONTENT_TOO_LARGE) {
        return true;
      }
    }
    return false;
  }

  /** The parser's complaint and where, without its internal source description. */
  private static String brief(StreamReadException e) {
    String message = e.getOriginalMessage();
    int detail = message.indexOf(" (start marker");
    if (detail > 0) {
      message = message.substring(0, detail);
    }
    var where = e.getLocation();
    return where == null || where.getLineNr() < 0
        ? message
        : message + " at line " + where.getLineNr() + ", column " + where.getColumnNr();
  }

  private static String path(JacksonException e) {
    return e.getPath().stream()
        .map(
            ref ->
                ref.getPropertyName() != null
                    ? "." + ref.getPropertyName()
                    : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining())
        .replaceFirst("^\\.", "");
  }

  private ApiException tooLarge() {
    return new ApiException(
        HttpStatus.CONTENT_TOO_LARGE, "the request body is larger than " + maxBodyBytes + " bytes");
  }

  /** Stops reading, with a 413, as soon as a body passes the limit. */
  private final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private long count;

    LimitedInputStream(InputStream in, long limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) {
      count += n;
      if (count > limit) {
        throw tooLarge();
      }
    }
  }
}
