package io.retouch.worker.openai;

import com.openai.client.OpenAIClient;
import com.openai.core.MultipartField;
import com.openai.errors.OpenAIException;
import com.openai.models.images.Image;
import com.openai.models.images.ImageEditParams;
import com.openai.models.images.ImageModel;
import com.openai.models.images.ImagesResponse;
import io.retouch.common.edit.EditOptions;
import io.retouch.common.edit.EditSpec;
import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.PermanentFailure;
import io.retouch.common.job.TokenUsage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@link ImageEditor} through the official SDK's {@code images().edit(…)}. Every input is an {@code
 * image[]} part carrying the real content type (OpenAI rejects the SDK's default {@code
 * application/octet-stream}). Inputs go in as byte arrays, which keeps the multipart body
 * re-sendable.
 *
 * <p>The SDK sends one content type and one file name for all {@code image[]} parts, so the parts
 * carry the common type (inputs must share one) and the first input's file name, made safe for a
 * multipart header by {@link UploadFileName}.
 */
public final class OpenAiImageEditor implements ImageEditor {

  private final OpenAIClient client;

  public OpenAiImageEditor(OpenAIClient client) {
    this.client = client;
  }

  @Override
  public EditOutcome edit(String model, EditSpec spec, List<EditInput> inputs) {
    List<InputStream> streams = new ArrayList<>();
    for (EditInput input : inputs) {
      streams.add(new ByteArrayInputStream(input.bytes()));
    }
    MultipartField<ImageEditParams.Image> images =
        MultipartField.<ImageEditParams.Image>builder()
            .value(ImageEditParams.Image.ofInputStreams(streams))
            .contentType(inputs.getFirst().format().mimeType())
            .filename(UploadFileName.of(inputs.getFirst().fileName(), inputs.getFirst().format()))
            .build();
    ImageEditParams.Builder params =
        ImageEditParams.builder()
            .image(images)
            .prompt(spec.prompt())
            .model(ImageModel.of(model))
            .n((long) spec.n())
            .size(ImageEditParams.Size.of(spec.size().wireName()))
            .quality(ImageEditParams.Quality.of(spec.quality().wireName()));
    // only what the client set: a request with Trieve's fields alone sends what it always did
    EditOptions options = spec.options();
    options
        .outputFormat()
        .ifPresent(f -> params.outputFormat(ImageEditParams.OutputFormat.of(f.wireName())));
    options.outputCompression().ifPresent(c -> params.outputCompression((long) c));
    options
        .background()
        .ifPresent(b -> params.background(ImageEditParams.Background.of(b.wireName())));
    options
        .inputFidelity()
        .ifPresent(f -> params.inputFidelity(ImageEditParams.InputFidelity.of(f.wireName())));
    options
        .complexity()
        .ifPresent(c -> params.complexity(ImageEditParams.Complexity.of(c.wireName())));
    ImagesResponse response;
    try {
      response = client.images().edit(params.build());
    } catch (OpenAIException e) {
      throw OpenAiFailures.classify(e, model);
    }
    return outcome(response);
  }

  private static EditOutcome outcome(ImagesResponse response) {
    List<byte[]> images = new ArrayList<>();
    for (Image image : response.data().orElse(List.of())) {
      String b64 =
          image
              .b64Json()
              .orElseThrow(
                  () ->
                      new PermanentFailure(
                          ErrorCode.INTERNAL, "OpenAI answered without b64_json image data"));
      try {
        images.add(Base64.getDecoder().decode(b64));
      } catch (IllegalArgumentException e) {
        throw new PermanentFailure(ErrorCode.INTERNAL, "OpenAI answered with broken base64", e);
      }
    }
    if (images.isEmpty()) {
      throw new PermanentFailure(ErrorCode.INTERNAL, "OpenAI answered with no images");
    }
    TokenUsage usage =
        response
            .usage()
            .map(
                u ->
                    new TokenUsage(
                        (int) u.inputTokens(), (int) u.outputTokens(), (int) u.totalTokens()))
            .orElse(TokenUsage.unknown());
    return new EditOutcome(images, usage);
  }
}
