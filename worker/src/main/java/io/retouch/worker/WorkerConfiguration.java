package io.retouch.worker;

import com.openai.client.OpenAIClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.retouch.common.net.AddressPolicy;
import io.retouch.common.openai.OpenAiProperties;
import io.retouch.common.storage.ObjectStore;
import io.retouch.common.webhook.WebhookProperties;
import io.retouch.db.event.EventRenderer;
import io.retouch.db.event.JobEventStore;
import io.retouch.db.job.AttemptStore;
import io.retouch.db.job.JobStore;
import io.retouch.db.webhook.DeliveryStore;
import io.retouch.worker.fetch.FetchProperties;
import io.retouch.worker.fetch.SafeUrlFetcher;
import io.retouch.worker.model.ModelChecks;
import io.retouch.worker.model.ModelLifecycle;
import io.retouch.worker.model.ModelMetrics;
import io.retouch.worker.model.ModelsHealthIndicator;
import io.retouch.worker.openai.ImageEditor;
import io.retouch.worker.openai.ObservedImageEditor;
import io.retouch.worker.openai.OpenAiClients;
import io.retouch.worker.openai.OpenAiImageEditor;
import io.retouch.worker.openai.OpenAiModelCatalog;
import io.retouch.worker.process.InputLoader;
import io.retouch.worker.process.JobProcessor;
import io.retouch.worker.process.RunningJobs;
import io.retouch.worker.webhook.WebhookDispatcher;
import io.retouch.worker.webhook.WebhookSender;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class WorkerConfiguration {

  private static final Logger log = LoggerFactory.getLogger(WorkerConfiguration.class);

  @Bean(destroyMethod = "close")
  OpenAIClient openAiClient(OpenAiProperties props) {
    if (props.apiKey() == null || props.apiKey().isBlank()) {
      log.warn("OPENAI_API_KEY is not set: every edit will fail with OpenAI's 401");
    }
    return OpenAiClients.create(props);
  }

  @Bean
  ImageEditor imageEditor(OpenAIClient client, ObservationRegistry observations) {
    return new ObservedImageEditor(new OpenAiImageEditor(client), observations);
  }

  /** Checked once here, before the consumer decides whether to start, then on a schedule. */
  @Bean
  ModelLifecycle modelLifecycle(
      OpenAIClient client, OpenAiProperties props, Clock clock, MeterRegistry registry) {
    ModelLifecycle lifecycle = new ModelLifecycle(new OpenAiModelCatalog(client), props, clock);
    lifecycle.check();
    ModelMetrics.register(lifecycle, clock, registry);
    return lifecycle;
  }

  @Bean(destroyMethod = "close")
  ModelChecks modelChecks(ModelLifecycle lifecycle, OpenAiProperties props) {
    return new ModelChecks(lifecycle, props.lifecycleCheck());
  }

  @Bean
  ModelsHealthIndicator openAiModelsHealthIndicator(ModelLifecycle lifecycle) {
    return new ModelsHealthIndicator(lifecycle);
  }

  @Bean
  SafeUrlFetcher safeUrlFetcher(FetchProperties props) {
    if (props.allowPrivateNetworks()) {
      log.warn("retouch.fetch.allow-private-networks is on: URL inputs may reach internal hosts");
    }
    return new SafeUrlFetcher(props);
  }

  @Bean
  WebhookSender webhookSender(WebhookProperties props, Clock clock) {
    if (props.allowPrivateNetworks()) {
      log.warn("retouch.webhooks.allow-private-networks is on: webhooks may reach internal hosts");
    }
    return new WebhookSender(
        new AddressPolicy(props.allowPrivateNetworks()), props.timeout(), clock);
  }

  @Bean
  WebhookDispatcher webhookDispatcher(
      DeliveryStore deliveries,
      JobEventStore events,
      EventRenderer renderer,
      WebhookSender sender,
      WebhookProperties props,
      WorkerProperties worker,
      Clock clock,
      MeterRegistry registry) {
    return new WebhookDispatcher(
        deliveries, events, renderer, sender, props, worker.id(), clock, registry);
  }

  @Bean
  InputLoader inputLoader(ObjectStore store, SafeUrlFetcher fetcher, JobStore jobs) {
    return new InputLoader(store, fetcher, jobs);
  }

  @Bean
  JobProcessor jobProcessor(
      JobStore jobs,
      AttemptStore attempts,
      InputLoader inputs,
      ImageEditor editor,
      ObjectStore store,
      WorkerProperties worker,
      OpenAiProperties openAi,
      RunningJobs running,
      ModelLifecycle models,
      ObservationRegistry observations,
      Clock clock) {
    log.info(
        "worker {} calls {} (fallbacks {}) at {}",
        worker.id(),
        openAi.model(),
        openAi.fallbackModels(),
        openAi.baseUrl());
    return new JobProcessor(
        jobs,
        attempts,
        inputs,
        editor,
        store,
        running,
        models,
        new JobProcessor.AttemptSettings(worker.id(), worker.lease(), worker.retryPolicy()),
        observations,
        clock);
  }
}
