package io.retouch.common.openai;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * OpenAI ({@code retouch.openai.*}). The api reads only {@code model}, to show it on accepted jobs;
 * the worker calls OpenAI with all of it and records the model it actually used.
 *
 * @param model image edit model; {@code gpt-image-1} as Trieve, one setting away from its successor
 * @param apiKey the key ({@code OPENAI_API_KEY})
 * @param baseUrl API base URL ({@code OPENAI_BASE_URL}), e.g. a proxy or the testkit fake
 * @param timeout bound on one edit call, upload and answer included
 */
@ConfigurationProperties("retouch.openai")
public record OpenAiProperties(String model, String apiKey, URI baseUrl, Duration timeout) {

  public OpenAiProperties {
    model = model == null || model.isBlank() ? "gpt-image-1" : model;
    baseUrl = baseUrl == null ? URI.create("https://api.openai.com/v1") : baseUrl;
    timeout = timeout == null ? Duration.ofMinutes(5) : timeout;
  }
}
