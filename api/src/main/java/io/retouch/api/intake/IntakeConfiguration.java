package io.retouch.api.intake;

import io.retouch.common.model.ImageModels;
import io.retouch.common.net.AddressPolicy;
import io.retouch.common.openai.OpenAiProperties;
import io.retouch.common.validation.EditRequestValidator;
import io.retouch.common.webhook.WebhookProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class IntakeConfiguration {

  private static final Logger log = LoggerFactory.getLogger(IntakeConfiguration.class);

  /** Requests are checked against the capabilities of the model their jobs will run on. */
  @Bean
  EditRequestValidator editRequestValidator(OpenAiProperties openAi, WebhookProperties webhooks) {
    EditRequestValidator validator =
        new EditRequestValidator(
            openAi.model(), new AddressPolicy(webhooks.allowPrivateNetworks()));
    if (validator.capabilities().isEmpty()) {
      log.warn(
          "retouch.openai.model {} is not in the capability table (as of {}): requests get Trieve's"
              + " rules only and OpenAI decides on the rest",
          openAi.model(),
          ImageModels.table().asOf());
    }
    return validator;
  }
}
