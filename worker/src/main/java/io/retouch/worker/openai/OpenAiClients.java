package io.retouch.worker.openai;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.ObjectMappers;
import io.retouch.common.openai.OpenAiProperties;

/** Builds the worker's OpenAI client, the one place its settings are decided. */
public final class OpenAiClients {

  /**
   * One {@code b64_json} image is one JSON string: a high-quality 1536×1024 PNG can pass Jackson's
   * default cap of 20,000,000 characters. 200,000,000 covers OpenAI's largest outputs many times.
   */
  static final int MAX_JSON_STRING = 200_000_000;

  private OpenAiClients() {}

  /**
   * The SDK's own retries are off: a retry here would sleep on the consumer's thread with the
   * inputs in memory and leave no trace in the job. Transient failures instead end the attempt, and
   * the job's retry policy schedules the next one in the database (with Retry-After honoured),
   * visible as an attempt row.
   */
  public static OpenAIClient create(OpenAiProperties props) {
    return OpenAIOkHttpClient.builder()
        .apiKey(props.apiKey() == null ? "" : props.apiKey())
        .baseUrl(props.baseUrl().toString())
        .timeout(props.timeout())
        .maxRetries(0)
        .jsonMapper(jsonMapper())
        .build();
  }

  /**
   * The SDK's mapper with the raised string limit. It is a copy with its own factory: the SDK's
   * instance is shared process-wide, and the limit stays a decision of this client alone.
   */
  static JsonMapper jsonMapper() {
    JsonMapper mapper = ObjectMappers.jsonMapper().copy();
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxStringLength(MAX_JSON_STRING).build());
    return mapper;
  }
}
