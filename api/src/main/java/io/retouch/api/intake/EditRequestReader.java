package io.retouch.api.intake;

import io.retouch.api.ApiProperties;
import io.retouch.api.http.ApiException;
import io.retouch.api.http.JsonRules;
import io.retouch.common.edit.EditImageRequest;
import io.retouch.common.edit.InlineBase64;
import io.retouch.common.edit.InvalidRequestException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads the submission body with its own mapper: strings as long as the body limit allows (an
 * inline image is one long base64 string, past Jackson's 20M-character default), no silent type
 * coercion ({@code "n": "3"} is an error), no key twice, only strict UTF-8 and text that can be
 * stored, and every parse failure turned into a 400 that names the field, never a 500. The body is
 * read under its limits ({@link MeteredBody}): 413 past {@code retouch.api.max-body-bytes} whether
 * it announces its length or arrives chunked, 408 past {@code retouch.api.body-read-timeout}.
 */
@Component
public class EditRequestReader {

  private static final Pattern DUPLICATE = Pattern.compile("Duplicate Object property \"(.*)\"");

  /** Decoded images up to this size stay in memory; larger ones go to a temp file. */
  static final int SPOOL_THRESHOLD = 1 << 20;

  private final JsonMapper mapper;
  private final ApiProperties props;
  private final Clock clock;
  private final Path spoolDir;
  private final int spoolThreshold;

  @Autowired
  public EditRequestReader(ApiProperties props, Clock clock) {
    this(props, clock, Path.of(System.getProperty("java.io.tmpdir")), SPOOL_THRESHOLD);
  }

  EditRequestReader(ApiProperties props, Clock clock, Path spoolDir, int spoolThreshold) {
    this.props = props;
    this.clock = clock;
    this.spoolDir = spoolDir;
    this.spoolThreshold = spoolThreshold;
    int maxString = (int) Math.min(Integer.MAX_VALUE - 8, props.maxBodyBytes());
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxStringLength(maxString).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    this.mapper =
        JsonMapper.builder(factory)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .addModule(JsonRules.storableText())
            .addModule(
                new SimpleModule("retouch-inline-base64")
                    .addDeserializer(InlineBase64.class, new InlineBase64Deserializer()))
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

  /**
   * Reads the body, decoding inline images into temp files as they arrive; the caller closes the
   * result. On any failure the images read so far are deleted before the exception leaves.
   *
   * @param permit the submission's share of {@link BodyBudget}, grown as a chunked body arrives
   */
  public ReceivedRequest read(InputStream body, long contentLength, BodyBudget.Permit permit) {
    if (contentLength > props.maxBodyBytes()) {
      throw MeteredBody.tooLarge(props.maxBodyBytes());
    }
    Utf8Guard utf8 =
        new Utf8Guard(
            new MeteredBody(body, props.maxBodyBytes(), props.bodyReadTimeout(), clock, permit));
    InputSpools spools = new InputSpools(spoolDir, spoolThreshold);
    boolean handedOver = false;
    try {
      EditImageRequest request = parse(utf8, spools);
      handedOver = true;
      return new ReceivedRequest(request, spools);
    } finally {
      if (!handedOver) {
        spools.close();
      }
    }
  }

  private EditImageRequest parse(Utf8Guard utf8, InputSpools spools) {
    EditImageRequest request;
    try {
      request =
          mapper
              .readerFor(EditImageRequest.class)
              .withAttribute(InputSpools.class, spools)
              .readValue(utf8);
    } catch (JacksonException e) {
      throw translate(e, utf8.problem());
    }
    // bad bytes inside a field Jackson skipped (an unknown one) still make the body invalid
    utf8.problem()
        .ifPresent(
            problem -> {
              throw new InvalidRequestException(
                  "body", "the request body is not valid UTF-8: " + problem);
            });
    if (request == null) {
      throw new InvalidRequestException("body", "the request body must be a JSON object");
    }
    return request;
  }

  /** The request's fingerprint for {@code Idempotency-Key} comparisons. */
  public String fingerprint(ReceivedRequest request) {
    return RequestFingerprint.of(request.body());
  }

  private static RuntimeException translate(JacksonException e, Optional<String> utf8Problem) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      // the body's own limits (413, 408, 503), thrown from the stream under Jackson
      if (t instanceof ApiException api) {
        return api;
      }
      if (t instanceof JsonRules.UnstorableTextException text) {
        String field = field(e);
        return new InvalidRequestException(field, field + " " + text.getMessage());
      }
    }
    String original = e.getOriginalMessage();
    if (utf8Problem.isPresent() || original.startsWith("Invalid UTF-8")) {
      String field = field(e);
      String where = field.equals("body") ? "the request body" : field;
      return new InvalidRequestException(
          field, where + " is not valid UTF-8: " + utf8Problem.orElse(original));
    }
    Matcher duplicate = DUPLICATE.matcher(original);
    if (duplicate.find()) {
      String parent = path(e);
      String field = parent.isEmpty() ? duplicate.group(1) : parent + "." + duplicate.group(1);
      return new InvalidRequestException(
          field, field + " appears more than once in the request body; send each field once");
    }
    if (e instanceof StreamReadException read) {
      return new InvalidRequestException(
          "body", "the request body is not valid JSON: " + brief(read));
    }
    if (e.getPath().isEmpty()) {
      return new InvalidRequestException("body", "the request body must be a JSON object");
    }
    String field = path(e);
    return new InvalidRequestException(field, field + " has the wrong type");
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

  private static String field(JacksonException e) {
    String path = path(e);
    return path.isEmpty() ? "body" : path;
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
}
