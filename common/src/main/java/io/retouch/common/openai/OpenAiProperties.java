package io.retouch.common.openai;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * OpenAI ({@code retouch.openai.*}). The api reads {@code model}, to check requests against its
 * capabilities and show it on accepted jobs; the worker calls OpenAI with all of it and records the
 * model it actually used.
 *
 * @param model image edit model. The default, {@code gpt-image-2.6-sunburst}, is one of the two
 *     replacements OpenAI's deprecations page names for the image models it shut down on 2026-12-01
 *     (gpt-image-1.5, gpt-image-1-mini; gpt-image-1 went on 2026-10-23), with no shutdown date
 *     announced (developers.openai.com/api/docs/deprecations and
 *     /api/docs/models/gpt-image-2.6-sunburst, read 2026-12-01)
 * @param fallbackModels tried in order, within the same attempt, when the model answers {@code
 *     model_not_found}; by default the 2.5 and 2.0 models, both without a shutdown date
 * @param apiKey the key ({@code OPENAI_API_KEY})
 * @param baseUrl API base URL ({@code OPENAI_BASE_URL}), e.g. a proxy or the testkit fake
 * @param timeout bound on one edit call, upload and answer included
 * @param lifecycleCheck how often the worker asks OpenAI's models endpoint about its models
 * @param shutdownWarning how long before a model's shutdown date the worker starts warning
 */
@ConfigurationProperties("retouch.openai")
public record OpenAiProperties(
    String model,
    List<String> fallbackModels,
    String apiKey,
    URI baseUrl,
    Duration timeout,
    Duration lifecycleCheck,
    Duration shutdownWarning) {

  public static final String DEFAULT_MODEL = "gpt-image-2.6-sunburst";
  public static final List<String> DEFAULT_FALLBACKS =
      List.of("gpt-image-2.5-sunburst", "gpt-image-2");

  public OpenAiProperties {
    model = model == null || model.isBlank() ? DEFAULT_MODEL : model.strip();
    fallbackModels =
        fallbackModels == null
            ? DEFAULT_FALLBACKS
            : fallbackModels.stream().map(String::strip).filter(m -> !m.isEmpty()).toList();
    baseUrl = baseUrl == null ? URI.create("https://api.openai.com/v1") : baseUrl;
    timeout = timeout == null ? Duration.ofMinutes(5) : timeout;
    lifecycleCheck = lifecycleCheck == null ? Duration.ofDays(1) : lifecycleCheck;
    shutdownWarning = shutdownWarning == null ? Duration.ofDays(30) : shutdownWarning;
  }

  /** The model, then its fallbacks, each once. */
  public List<String> models() {
    return java.util.stream.Stream.concat(
            java.util.stream.Stream.of(model), fallbackModels.stream())
        .distinct()
        .toList();
  }
}
