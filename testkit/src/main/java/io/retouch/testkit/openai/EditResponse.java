package io.retouch.testkit.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The success body of {@code POST /v1/images/edits} for the GPT image models. */
record EditResponse(
    long created,
    List<ImageData> data,
    Usage usage,
    String size,
    String quality,
    @JsonProperty("output_format") String outputFormat,
    String background) {

  record ImageData(@JsonProperty("b64_json") String b64Json) {}

  record Usage(
      @JsonProperty("input_tokens") int inputTokens,
      @JsonProperty("input_tokens_details") InputTokensDetails inputTokensDetails,
      @JsonProperty("output_tokens") int outputTokens,
      @JsonProperty("total_tokens") int totalTokens) {

    /**
     * Plausible, deterministic numbers: a token per four prompt characters, 65 per input image, and
     * OpenAI's published per-image output costs for gpt-image-1 by quality and shape.
     */
    static Usage estimate(EditRequest request) {
      int textTokens = Math.max(1, (request.prompt().length() + 3) / 4);
      int imageTokens = 65 * request.images().size();
      int outputTokens = request.n() * outputTokensPerImage(request);
      int inputTokens = textTokens + imageTokens;
      return new Usage(
          inputTokens,
          new InputTokensDetails(imageTokens, textTokens),
          outputTokens,
          inputTokens + outputTokens);
    }

    private static int outputTokensPerImage(EditRequest request) {
      boolean square = request.size().isSquare();
      return switch (request.quality()) {
        case "low" -> square ? 272 : 408;
        case "medium" -> square ? 1056 : 1584;
        default -> square ? 4160 : 6240;
      };
    }
  }

  record InputTokensDetails(
      @JsonProperty("image_tokens") int imageTokens, @JsonProperty("text_tokens") int textTokens) {}
}
