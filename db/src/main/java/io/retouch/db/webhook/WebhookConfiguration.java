package io.retouch.db.webhook;

import io.retouch.common.webhook.WebhookProperties;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Webhook endpoints and deliveries, for the API (management, log) and the worker (dispatch). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookProperties.class)
public class WebhookConfiguration {

  @Bean
  WebhookEndpointStore webhookEndpointStore(JdbcClient jdbc, Clock clock) {
    return new WebhookEndpointStore(jdbc, clock);
  }

  @Bean
  DeliveryStore deliveryStore(JdbcClient jdbc, Clock clock, WebhookProperties props) {
    return new DeliveryStore(jdbc, clock, props.schedule(), props.disableAfter());
  }
}
