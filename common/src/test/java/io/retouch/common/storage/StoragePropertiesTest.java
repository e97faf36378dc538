package io.retouch.common.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class StoragePropertiesTest {

  private static StorageProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("retouch.storage", StorageProperties.class);
  }

  @Test
  void unset_properties_take_the_documented_defaults() {
    StorageProperties props = bind(Map.of());

    assertThat(props.urlTtl()).isEqualTo(Duration.ofHours(24));
    assertThat(props.region()).isEqualTo("us-east-1");
    assertThat(props.bucket()).isEqualTo("retouch");
    assertThat(props.pathStyle()).isFalse();
    assertThat(props.createBucket()).isTrue();
    assertThat(props.endpoint()).isNull();
    assertThat(props.publicBaseUrl()).isNull();
  }

  @Test
  void a_configured_url_ttl_replaces_the_default() {
    assertThat(bind(Map.of("retouch.storage.url-ttl", "90m")).urlTtl())
        .isEqualTo(Duration.ofMinutes(90));
  }
}
