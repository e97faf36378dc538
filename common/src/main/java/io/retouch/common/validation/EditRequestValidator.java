package io.retouch.common.validation;

import io.retouch.common.edit.Background;
import io.retouch.common.edit.Complexity;
import io.retouch.common.edit.EditImageRequest;
import io.retouch.common.edit.EditOptions;
import io.retouch.common.edit.EditRequest;
import io.retouch.common.edit.EditSpec;
import io.retouch.common.edit.ImageQuality;
import io.retouch.common.edit.ImageSize;
import io.retouch.common.edit.ImageSource;
import io.retouch.common.edit.InlineBase64;
import io.retouch.common.edit.InputFidelity;
import io.retouch.common.edit.InvalidRequestException;
import io.retouch.common.edit.OutputFormat;
import io.retouch.common.edit.WireNames;
import io.retouch.common.event.EventType;
import io.retouch.common.image.ImageFormat;
import io.retouch.common.image.ImageInfo;
import io.retouch.common.image.ImageInspector;
import io.retouch.common.image.InvalidImageException;
import io.retouch.common.model.ImageModels;
import io.retouch.common.model.ModelCapabilities;
import io.retouch.common.net.AddressPolicy;
import io.retouch.common.webhook.JobWebhook;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The request rules of {@code POST /api/message/edit_image}: the contract's own, then those of the
 * model the job will run on, from the capability table. Each broken rule is an {@link
 * InvalidRequestException} naming the field (and the model, for its rules), checked in body order
 * so the first problem is the one reported. A model the table does not know gets the contract's
 * rules only, and OpenAI has the last word.
 */
public final class EditRequestValidator {

  public static final int MAX_IMAGES = 16;
  public static final long MAX_IMAGE_BYTES = 50L * 1024 * 1024;
  public static final int MAX_PROMPT_CHARS = 32_000;
  public static final int MAX_N = 10;

  /**
   * Longest {@code file_name}, in characters. The job keeps it as given, for display; the model is
   * sent a sanitized, shorter form.
   */
  public static final int MAX_FILE_NAME_CHARS = 1024;

  /** Longest URL input, in characters (the common limit of browsers and CDNs). */
  public static final int MAX_URL_CHARS = HttpUrls.MAX_CHARS;

  private static final String ALLOWED_TYPES =
      Arrays.stream(ImageFormat.values())
          .map(ImageFormat::mimeType)
          .collect(Collectors.joining(", "));

  private final String model;
  private final Optional<ModelCapabilities> capabilities;
  private final AddressPolicy webhookAddresses;

  /**
   * @param model the model jobs run on ({@code retouch.openai.model})
   * @param webhookAddresses the policy of webhook deliveries: a {@code webhook} whose host is an
   *     address it refuses is a 400 right away (host names are judged when a delivery resolves
   *     them)
   */
  public EditRequestValidator(String model, AddressPolicy webhookAddresses) {
    this.model = model;
    this.capabilities = ImageModels.table().of(model);
    this.webhookAddresses = webhookAddresses;
  }

  /** What the table says the model accepts; empty for a model it does not know. */
  public Optional<ModelCapabilities> capabilities() {
    return capabilities;
  }

  public EditRequest validate(EditImageRequest body) {
    if (body == null) {
      throw new InvalidRequestException("body", "the request body must be a JSON object");
    }
    List<EditImageRequest.InputImage> images = body.inputImages();
    if (images == null || images.isEmpty() || images.size() > MAX_IMAGES) {
      throw new InvalidRequestException(
          "input_images", "input_images must hold between 1 and " + MAX_IMAGES + " images");
    }
    List<EditRequest.Input> inputs = new ArrayList<>(images.size());
    ImageFormat common = null;
    int commonIndex = -1;
    for (int i = 0; i < images.size(); i++) {
      EditRequest.Input input = input(images.get(i), "input_images[" + i + "]");
      if (input.source() instanceof ImageSource.Inline inline) {
        if (common == null) {
          common = inline.format();
          commonIndex = i;
        } else if (inline.format() != common) {
          throw new InvalidRequestException(
              "input_images[" + i + "]",
              "input_images[%d] is %s but input_images[%d] is %s; all input images must have the same type"
                  .formatted(i, inline.format().mimeType(), commonIndex, common.mimeType()));
        }
      }
      inputs.add(input);
    }
    Optional<ImageFormat> format = declaredFormat(body.mimeType(), common, commonIndex);
    EditSpec spec =
        new EditSpec(
            prompt(body.prompt()),
            n(body.n()),
            size(body.size()),
            quality(body.quality()),
            options(body));
    capabilities
        .flatMap(c -> c.problem(model, spec, inputs.size()))
        .ifPresent(
            problem -> {
              throw new InvalidRequestException(problem.field(), problem.message());
            });
    return new EditRequest(inputs, spec, format, webhook(body));
  }

  private Optional<JobWebhook> webhook(EditImageRequest body) {
    if (body.webhook() == null) {
      if (body.webhookEventsFilter() != null) {
        throw new InvalidRequestException(
            "webhook_events_filter", "webhook_events_filter is only read with webhook");
      }
      return Optional.empty();
    }
    URI url = WebhookUrls.check(body.webhook(), "webhook", webhookAddresses);
    Set<EventType> events =
        body.webhookEventsFilter() == null
            ? EventType.TERMINAL
            : WebhookUrls.eventTypes(body.webhookEventsFilter(), "webhook_events_filter");
    return Optional.of(new JobWebhook(url, events));
  }

  private static EditOptions options(EditImageRequest body) {
    Integer compression = body.outputCompression();
    if (compression != null && (compression < 0 || compression > 100)) {
      throw new InvalidRequestException(
          "output_compression", "output_compression must be between 0 and 100");
    }
    return new EditOptions(
        choice(
            "output_format",
            body.outputFormat(),
            OutputFormat.fromWireName(body.outputFormat()),
            OutputFormat.values()),
        Optional.ofNullable(compression),
        choice(
            "background",
            body.background(),
            Background.fromWireName(body.background()),
            Background.values()),
        choice(
            "input_fidelity",
            body.inputFidelity(),
            InputFidelity.fromWireName(body.inputFidelity()),
            InputFidelity.values()),
        choice(
            "complexity",
            body.complexity(),
            Complexity.fromWireName(body.complexity()),
            Complexity.values()));
  }

  /** An optional enum field: absent, or one of {@code values} by its wire name. */
  private static <E extends Enum<E>> Optional<E> choice(
      String field, String given, Optional<E> parsed, E[] values) {
    if (given == null) {
      return Optional.empty();
    }
    if (parsed.isEmpty()) {
      throw new InvalidRequestException(
          field,
          field
              + " must be one of "
              + Arrays.stream(values).map(WireNames::of).collect(Collectors.joining(", ")));
    }
    return parsed;
  }

  private EditRequest.Input input(EditImageRequest.InputImage image, String path) {
    if (image == null) {
      throw new InvalidRequestException(path, path + " must be an object");
    }
    if (image.fileName() == null || image.fileName().isBlank()) {
      throw new InvalidRequestException(path + ".file_name", path + ".file_name is required");
    }
    if (image.fileName().codePointCount(0, image.fileName().length()) > MAX_FILE_NAME_CHARS) {
      throw new InvalidRequestException(
          path + ".file_name",
          path + ".file_name must be at most " + MAX_FILE_NAME_CHARS + " characters");
    }
    EditImageRequest.ImageSrc src = image.imageSrc();
    if (src == null || (src.base64() == null) == (src.url() == null)) {
      throw new InvalidRequestException(
          path + ".image_src", path + ".image_src must have exactly one of base64 or url");
    }
    ImageSource source =
        src.base64() != null
            ? inline(src.base64(), path + ".image_src.base64")
            : url(src.url(), path + ".image_src.url");
    return new EditRequest.Input(image.fileName(), source);
  }

  /** The checks once made on the whole string, in the same order, on what its decoding saw. */
  private static ImageSource.Inline inline(InlineBase64 value, String field) {
    if (value.payloadChars() == 0) {
      throw new InvalidRequestException(field, field + " is empty");
    }
    long estimated = value.payloadChars() / 4 * 3;
    if (estimated - 2 > MAX_IMAGE_BYTES) {
      throw tooLarge(field, estimated);
    }
    if (!value.valid()) {
      throw new InvalidRequestException(field, field + " is not valid base64");
    }
    if (value.decodedBytes() > MAX_IMAGE_BYTES) {
      throw tooLarge(field, value.decodedBytes());
    }
    ImageInfo info;
    try {
      info = ImageInspector.inspect(value.decoded());
    } catch (InvalidImageException e) {
      throw new InvalidRequestException(field, field + " " + e.getMessage());
    }
    return new ImageSource.Inline(value.decoded(), info.format());
  }

  private static InvalidRequestException tooLarge(String field, long bytes) {
    return new InvalidRequestException(
        field,
        "%s decodes to about %d bytes; the limit is %d bytes (50 MB)"
            .formatted(field, bytes, MAX_IMAGE_BYTES));
  }

  private static ImageSource.Url url(String value, String field) {
    return new ImageSource.Url(HttpUrls.parse(value, field));
  }

  private static Optional<ImageFormat> declaredFormat(
      String mimeType, ImageFormat detected, int detectedIndex) {
    if (mimeType == null) {
      return Optional.ofNullable(detected);
    }
    ImageFormat declared =
        ImageFormat.fromMimeType(mimeType.strip())
            .orElseThrow(
                () ->
                    new InvalidRequestException(
                        "mime_type", "mime_type must be one of " + ALLOWED_TYPES));
    if (detected != null && detected != declared) {
      throw new InvalidRequestException(
          "mime_type",
          "mime_type is %s but input_images[%d] is %s"
              .formatted(declared.mimeType(), detectedIndex, detected.mimeType()));
    }
    return Optional.of(declared);
  }

  private static String prompt(String prompt) {
    if (prompt == null || prompt.isBlank()) {
      throw new InvalidRequestException("prompt", "prompt is required");
    }
    // Characters as OpenAI counts them: an emoji is one, not the two UTF-16 units of length().
    if (prompt.codePointCount(0, prompt.length()) > MAX_PROMPT_CHARS) {
      throw new InvalidRequestException(
          "prompt", "prompt must be at most " + MAX_PROMPT_CHARS + " characters");
    }
    return prompt;
  }

  private static int n(Integer n) {
    if (n == null) {
      return 1;
    }
    if (n < 1 || n > MAX_N) {
      throw new InvalidRequestException("n", "n must be between 1 and " + MAX_N);
    }
    return n;
  }

  private static ImageSize size(String size) {
    if (size == null) {
      return ImageSize.SQUARE;
    }
    return ImageSize.fromWireName(size)
        .orElseThrow(
            () ->
                new InvalidRequestException(
                    "size",
                    "size must be one of "
                        + ImageSize.STANDARD.stream()
                            .map(ImageSize::wireName)
                            .collect(Collectors.joining(", "))
                        + ", auto, or WIDTHxHEIGHT"));
  }

  private static ImageQuality quality(String quality) {
    if (quality == null) {
      return ImageQuality.LOW;
    }
    return ImageQuality.fromWireName(quality)
        .orElseThrow(
            () ->
                new InvalidRequestException(
                    "quality",
                    "quality must be one of "
                        + Arrays.stream(ImageQuality.values())
                            .map(ImageQuality::wireName)
                            .collect(Collectors.joining(", "))));
  }
}
