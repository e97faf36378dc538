package io.retouch.common.tracing;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@link JobTracing} on the app's tracer, or {@link JobTracing#NONE} when tracing is off. */
@Configuration(proxyBeanMethods = false)
public class TracingConfiguration {

  @Bean
  JobTracing jobTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
    Tracer t = tracer.getIfAvailable();
    Propagator p = propagator.getIfAvailable();
    return t == null || p == null ? JobTracing.NONE : new JobTracing(t, p);
  }
}
