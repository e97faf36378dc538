package io.retouch.db.webhook;

import static io.retouch.db.testing.TestData.aTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retouch.common.event.EventType;
import io.retouch.db.DbIntegrationTest;
import io.retouch.db.testing.TestData.Tenant;
import io.retouch.testkit.time.MutableClock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class WebhookEndpointStoreTest extends DbIntegrationTest {

  @Autowired WebhookEndpointStore endpoints;
  @Autowired JdbcClient jdbc;
  @Autowired MutableClock clock;

  private Tenant tenant;

  @BeforeEach
  void tenant() {
    tenant = aTenant(jdbc);
  }

  private static WebhookEndpoint.Settings settings(String url) {
    return new WebhookEndpoint.Settings(
        url, Optional.of(Set.of(EventType.SUCCEEDED)), Optional.of("billing"), true);
  }

  @Test
  void an_endpoint_is_seen_changed_and_deleted_only_through_its_own_dataset() {
    WebhookEndpointStore.Created created =
        endpoints.create(tenant.datasetId(), settings("https://hooks.example.com/a"));
    WebhookEndpoint endpoint = created.endpoint();
    Tenant other = aTenant(jdbc);

    assertThat(endpoints.find(tenant.datasetId(), endpoint.id())).contains(endpoint);
    assertThat(endpoints.list(tenant.datasetId())).containsExactly(endpoint);
    assertThat(endpoints.find(other.datasetId(), endpoint.id())).isEmpty();
    assertThat(endpoints.list(other.datasetId())).isEmpty();
    assertThat(endpoints.secrets(other.datasetId(), endpoint.id())).isEmpty();
    assertThat(endpoints.rotate(other.datasetId(), endpoint.id())).isEmpty();
    assertThat(
            endpoints.update(
                other.datasetId(), endpoint.id(), settings("https://hooks.example.com/b")))
        .isEmpty();
    assertThat(endpoints.delete(other.datasetId(), endpoint.id())).isFalse();

    WebhookEndpoint changed =
        endpoints
            .update(
                tenant.datasetId(),
                endpoint.id(),
                new WebhookEndpoint.Settings(
                    "https://hooks.example.com/b", Optional.empty(), Optional.empty(), false))
            .orElseThrow();
    assertThat(changed.url()).isEqualTo("https://hooks.example.com/b");
    assertThat(changed.events()).as("every type").isEmpty();
    assertThat(changed.enabled()).isFalse();
    assertThat(endpoints.delete(tenant.datasetId(), endpoint.id())).isTrue();
    assertThat(endpoints.find(tenant.datasetId(), endpoint.id())).isEmpty();
  }

  @Test
  void after_a_rotation_the_old_secret_signs_alongside_the_new_one_for_24_hours() {
    WebhookEndpointStore.Created created =
        endpoints.create(tenant.datasetId(), settings("https://hooks.example.com/a"));
    var first = created.secrets().current();

    EndpointSecrets rotated =
        endpoints.rotate(tenant.datasetId(), created.endpoint().id()).orElseThrow();

    assertThat(rotated.current()).isNotEqualTo(first);
    assertThat(rotated.signing(clock.instant())).containsExactly(rotated.current(), first);
    assertThat(endpoints.secrets(tenant.datasetId(), created.endpoint().id())).contains(rotated);
    assertThat(rotated.signing(clock.instant().plus(Duration.ofHours(24))))
        .containsExactly(rotated.current());
    assertThat(rotated.previousAt(clock.instant().plus(Duration.ofHours(25)))).isEmpty();
  }

  @Test
  void the_default_secret_is_made_once_per_dataset_and_rotates_like_an_endpoints() {
    EndpointSecrets first = endpoints.defaultSecrets(tenant.datasetId());

    assertThat(endpoints.defaultSecrets(tenant.datasetId())).isEqualTo(first);
    assertThat(endpoints.defaultSecrets(aTenant(jdbc).datasetId()).current())
        .isNotEqualTo(first.current());
    EndpointSecrets rotated = endpoints.rotateDefault(tenant.datasetId());
    assertThat(rotated.signing(clock.instant()))
        .containsExactly(rotated.current(), first.current());
  }

  @Test
  void a_dataset_holds_a_bounded_number_of_endpoints() {
    for (int i = 0; i < WebhookEndpointStore.MAX_ENDPOINTS_PER_DATASET; i++) {
      endpoints.create(tenant.datasetId(), settings("https://hooks.example.com/" + i));
    }

    assertThatThrownBy(
            () -> endpoints.create(tenant.datasetId(), settings("https://hooks.example.com/x")))
        .isInstanceOf(WebhookEndpointStore.TooManyEndpoints.class)
        .hasMessageContaining("at most 50");
  }
}
