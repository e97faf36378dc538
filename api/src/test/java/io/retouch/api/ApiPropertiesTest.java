package io.retouch.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class ApiPropertiesTest {

  private static ApiProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("retouch.api", ApiProperties.class);
  }

  @Test
  void unset_properties_take_the_documented_defaults() {
    ApiProperties props = bind(Map.of());

    // Trieve's own timeout: a drop-in client waits no longer than it did before
    assertThat(props.syncWait()).isEqualTo(Duration.ofSeconds(300));
    assertThat(props.maxBodyBytes()).isEqualTo(134_200_000L);
    assertThat(props.waitRecheck()).isEqualTo(Duration.ofSeconds(5));
    assertThat(props.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    assertThat(props.bodyReadTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(props.maxInflightBodyBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 5);
  }

  @Test
  void a_configured_sync_wait_replaces_the_default() {
    assertThat(bind(Map.of("retouch.api.sync-wait", "30s")).syncWait())
        .isEqualTo(Duration.ofSeconds(30));
  }
}
