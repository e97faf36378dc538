package io.retouch.api.docs;

import io.retouch.common.edit.Background;
import io.retouch.common.edit.Complexity;
import io.retouch.common.edit.ImageQuality;
import io.retouch.common.edit.InputFidelity;
import io.retouch.common.edit.OutputFormat;
import io.retouch.common.event.EventType;
import io.retouch.common.validation.EditRequestValidator;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.DateTimeSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The request bodies, which the API reads itself (strict UTF-8, duplicate keys refused, a body
 * budget) rather than through Spring, so springdoc cannot infer them. Trieve's names where the
 * contract is Trieve's ({@code EditImageReqPayload}, {@code ImageUpload}, {@code ImageSourceType},
 * {@code InputImageQuality}, {@code InputImageSize}); the values of every enumeration come from the
 * enums the validator parses with, so the document cannot drift from what is accepted.
 */
final class RequestSchemas {

  static final String EDIT = "EditImageReqPayload";
  static final String ENDPOINT_CREATE = "WebhookEndpointCreate";
  static final String ENDPOINT_UPDATE = "WebhookEndpointUpdate";
  static final String REPLAY = "WebhookReplay";

  private RequestSchemas() {}

  static String ref(String name) {
    return "#/components/schemas/" + name;
  }

  /** Every request schema by name, in the order they read best. */
  static Map<String, Schema<?>> all() {
    Map<String, Schema<?>> schemas = new LinkedHashMap<>();
    schemas.put(EDIT, editPayload());
    schemas.put("ImageUpload", imageUpload());
    schemas.put("ImageSourceType", imageSource());
    schemas.put(
        "InputImageQuality",
        enumeration(ImageQuality.class, ImageQuality::wireName)
            .description(
                "Output quality; Trieve's low, medium and high everywhere, the others on the"
                    + " models whose capabilities list them. Default: low."));
    schemas.put("InputImageSize", size());
    schemas.put(ENDPOINT_CREATE, endpoint(true));
    schemas.put(ENDPOINT_UPDATE, endpoint(false));
    schemas.put(REPLAY, replay());
    return schemas;
  }

  private static Schema<?> editPayload() {
    Schema<?> payload =
        new ObjectSchema()
            .description(
                "Trieve's request; every field after size is Retouch's and optional. Unknown"
                    + " fields are ignored; a duplicate key is a 400.")
            .required(List.of("input_images", "prompt"));
    payload.addProperty(
        "input_images",
        new ArraySchema()
            .items(new Schema<>().$ref(ref("ImageUpload")))
            .description("The images to edit"));
    payload.addProperty(
        "mime_type",
        new StringSchema()
            .description("The mime type of the uploaded image(s); sniffed when absent")
            .nullable(true));
    payload.addProperty(
        "n",
        new IntegerSchema()
            .minimum(java.math.BigDecimal.ONE)
            .maximum(java.math.BigDecimal.valueOf(EditRequestValidator.MAX_N))
            .description("The number of images to generate (default: 1)")
            .nullable(true));
    payload.addProperty("prompt", new StringSchema().description("The edit to make"));
    payload.addProperty("quality", nullableRef("InputImageQuality"));
    payload.addProperty("size", nullableRef("InputImageSize"));
    payload.addProperty(
        "output_format",
        enumeration(OutputFormat.class, OutputFormat::wireName)
            .description("Format of the results (default: png)")
            .nullable(true));
    payload.addProperty(
        "output_compression",
        new IntegerSchema()
            .minimum(java.math.BigDecimal.ZERO)
            .maximum(java.math.BigDecimal.valueOf(100))
            .description("0–100, for jpeg and webp")
            .nullable(true));
    payload.addProperty(
        "background",
        enumeration(Background.class, Background::wireName)
            .description("transparent needs png or webp")
            .nullable(true));
    payload.addProperty(
        "input_fidelity", enumeration(InputFidelity.class, InputFidelity::wireName).nullable(true));
    payload.addProperty(
        "complexity", enumeration(Complexity.class, Complexity::wireName).nullable(true));
    payload.addProperty(
        "webhook",
        new StringSchema()
            .format("uri")
            .description(
                "This job's own webhook, signed with the dataset's default secret (Replicate's"
                    + " name)")
            .nullable(true));
    payload.addProperty(
        "webhook_events_filter",
        new ArraySchema()
            .items(eventType())
            .description("Event types sent to webhook (default: the terminal ones)")
            .nullable(true));
    return payload;
  }

  private static Schema<?> imageUpload() {
    Schema<?> upload = new ObjectSchema().required(List.of("image_src", "file_name"));
    upload.addProperty(
        "file_name", new StringSchema().description("Shown in the job; sanitized for the model"));
    upload.addProperty("image_src", new Schema<>().$ref(ref("ImageSourceType")));
    return upload;
  }

  private static Schema<?> imageSource() {
    Schema<?> base64 = new ObjectSchema().title("Base64").required(List.of("base64"));
    base64.addProperty("base64", new StringSchema().description("Base64 encoded image data"));
    Schema<?> url = new ObjectSchema().title("URL").required(List.of("url"));
    url.addProperty(
        "url",
        new StringSchema()
            .description("http(s) URL the worker fetches; private addresses refused"));
    return new ComposedSchema().oneOf(List.of(base64, url));
  }

  private static Schema<?> size() {
    return new StringSchema()
        .pattern("^(auto|[1-9][0-9]{0,4}x[1-9][0-9]{0,4})$")
        .description(
            "Trieve's 1024x1024, 1024x1536 and 1536x1024 everywhere; auto and custom WIDTHxHEIGHT"
                + " sizes on the models whose capabilities allow them. Default: 1024x1024.")
        .example("1024x1024");
  }

  private static Schema<?> endpoint(boolean create) {
    Schema<?> body = new ObjectSchema().additionalProperties(false);
    if (create) {
      body.required(List.of("url"));
    }
    body.addProperty("url", new StringSchema().format("uri").description("https receiver URL"));
    body.addProperty(
        "events",
        new ArraySchema()
            .items(eventType())
            .description("Event types to receive; null or absent: every type")
            .nullable(true));
    body.addProperty("description", new StringSchema().nullable(true));
    if (!create) {
      body.addProperty(
          "enabled", new BooleanSchema().description("false turns deliveries off; true on again"));
    }
    return body;
  }

  private static Schema<?> replay() {
    Schema<?> body = new ObjectSchema().additionalProperties(false).required(List.of("since"));
    body.addProperty("since", new DateTimeSchema());
    body.addProperty("until", new DateTimeSchema().description("default: now"));
    return body;
  }

  static Schema<?> eventType() {
    return enumeration(EventType.class, EventType::wireName);
  }

  private static Schema<?> nullableRef(String name) {
    return new Schema<>().allOf(List.of(new Schema<>().$ref(ref(name)))).nullable(true);
  }

  private static <E extends Enum<E>> Schema<String> enumeration(
      Class<E> type, Function<E, String> wireName) {
    StringSchema schema = new StringSchema();
    wireNames(type, wireName).forEach(schema::addEnumItem);
    return schema;
  }

  static <E extends Enum<E>> List<String> wireNames(Class<E> type, Function<E, String> wireName) {
    return Arrays.stream(type.getEnumConstants()).map(wireName).toList();
  }
}
