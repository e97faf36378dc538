package io.retouch.worker.openai;

import com.openai.client.OpenAIClient;
import com.openai.core.RequestOptions;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIServiceException;
import io.retouch.worker.model.ModelCatalog;
import java.time.Duration;

/** {@link ModelCatalog} through the SDK's {@code models().retrieve(…)}. */
public final class OpenAiModelCatalog implements ModelCatalog {

  /** A lifecycle check must not hold a start-up for the five minutes an edit may take. */
  private static final RequestOptions QUICK =
      RequestOptions.builder().timeout(Duration.ofSeconds(15)).build();

  private final OpenAIClient client;

  public OpenAiModelCatalog(OpenAIClient client) {
    this.client = client;
  }

  @Override
  public Lookup lookup(String model) {
    try {
      return new Lookup.Listed(client.models().retrieve(model, QUICK).shutdownDate());
    } catch (OpenAIServiceException e) {
      if (e.statusCode() == 404 && e.code().filter("model_not_found"::equals).isPresent()) {
        return new Lookup.NotFound(OpenAiFailures.openAiMessage(e));
      }
      return new Lookup.Unanswered(
          "GET /models/"
              + model
              + " answered "
              + e.statusCode()
              + ": "
              + OpenAiFailures.openAiMessage(e));
    } catch (OpenAIException e) {
      return new Lookup.Unanswered("cannot reach OpenAI: " + e.getMessage());
    }
  }
}
