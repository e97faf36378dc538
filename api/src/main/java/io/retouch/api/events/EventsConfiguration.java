package io.retouch.api.events;

import io.retouch.api.ApiProperties;
import io.retouch.db.event.EventRenderer;
import io.retouch.db.event.JobEventStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class EventsConfiguration {

  @Bean
  EventStreams eventStreams(JobEventStore events, EventRenderer renderer, ApiProperties props) {
    return new EventStreams(events, renderer, props.eventKeepAlive());
  }
}
