package io.retouch.common.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retouch.common.edit.InvalidRequestException;
import io.retouch.common.event.EventType;
import io.retouch.common.net.AddressPolicy;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookUrlsTest {

  private static final AddressPolicy PUBLIC_ONLY = new AddressPolicy(false);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/hook",
        "http://127.1.2.3:8080/hook",
        "https://[::1]/hook",
        "http://10.0.0.7/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[64:ff9b::a00:1]/hook",
        "http://0.0.0.0/hook"
      })
  void an_address_the_delivery_policy_refuses_is_a_400_naming_it(String url) {
    assertThatThrownBy(() -> WebhookUrls.check(url, "url", PUBLIC_ONLY))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("url"))
        .hasMessageContaining("webhooks go to public addresses only")
        .hasMessageContaining("retouch.webhooks.allow-private-networks");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://hooks.example.com/retouch",
        "http://localhost:8080/hook",
        "https://8.8.8.8/hook",
        "https://[2001:4860:4860::8888]/hook"
      })
  void public_addresses_and_host_names_pass_until_a_delivery_resolves_them(String url) {
    assertThat(WebhookUrls.check(url, "url", PUBLIC_ONLY)).hasToString(url);
  }

  @Test
  void the_private_networks_setting_allows_internal_addresses() {
    assertThat(WebhookUrls.check("http://127.0.0.1:9/hook", "url", new AddressPolicy(true)))
        .hasToString("http://127.0.0.1:9/hook");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://hooks.example.com/x",
        "hooks.example.com/x",
        "https://user:secret@hooks.example.com/x",
        "http://0x7f.1/hook",
        "http://2130706433/hook"
      })
  void urls_break_the_same_rules_as_url_inputs(String url) {
    assertThatThrownBy(() -> WebhookUrls.check(url, "webhook", PUBLIC_ONLY))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("webhook"));
  }

  @Test
  void an_event_filter_names_known_types() {
    assertThat(
            WebhookUrls.eventTypes(
                List.of("edit_image.succeeded", "edit_image.failed", "edit_image.succeeded"),
                "events"))
        .containsExactlyInAnyOrder(EventType.SUCCEEDED, EventType.FAILED);
    assertThat(
            WebhookUrls.eventTypes(
                Arrays.stream(EventType.values()).map(EventType::wireName).toList(), "events"))
        .containsExactlyInAnyOrder(EventType.values());
  }

  @Test
  void an_empty_filter_or_an_unknown_type_is_a_400() {
    assertThatThrownBy(() -> WebhookUrls.eventTypes(List.of(), "webhook_events_filter"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("at least one event type");
    assertThatThrownBy(
            () ->
                WebhookUrls.eventTypes(
                    List.of("edit_image.succeeded", "completed"), "webhook_events_filter"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.field()).isEqualTo("webhook_events_filter[1]"))
        .hasMessageContaining("edit_image.queued, edit_image.processing");
    assertThatThrownBy(
            () -> WebhookUrls.eventTypes(java.util.Collections.singletonList(null), "events"))
        .isInstanceOf(InvalidRequestException.class);
  }
}
