package io.retouch.api.events;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.retouch.api.ApiProperties;
import io.retouch.db.event.EventRenderer;
import io.retouch.db.event.JobEventStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class EventsConfiguration {

  /** {@code retouch.events.streams}: Server-Sent Event streams open. */
  @Bean
  EventStreams eventStreams(
      JobEventStore events, EventRenderer renderer, ApiProperties props, MeterRegistry registry) {
    EventStreams streams = new EventStreams(events, renderer, props.eventKeepAlive());
    Gauge.builder("retouch.events.streams", streams, EventStreams::size)
        .description("Server-Sent Event streams open")
        .register(registry);
    return streams;
  }
}
