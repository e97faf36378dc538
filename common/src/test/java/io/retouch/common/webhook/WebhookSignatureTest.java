package io.retouch.common.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  /** The test vector the Standard Webhooks reference libraries (and Svix's) are tested against. */
  private static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  private static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long VECTOR_TIMESTAMP = 1614265330L;
  private static final byte[] VECTOR_BODY =
      "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

  @Test
  void the_standard_webhooks_test_vector_is_reproduced_exactly() {
    String header =
        WebhookSignature.header(
            VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY, List.of(SigningSecret.parse(VECTOR_SECRET)));

    assertThat(header).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void a_secret_without_its_prefix_is_the_same_key() {
    assertThat(SigningSecret.parse(VECTOR_SECRET.substring("whsec_".length())))
        .isEqualTo(SigningSecret.parse(VECTOR_SECRET));
  }

  @Test
  void during_a_rotation_each_secret_signs_and_the_signatures_are_space_separated() {
    SigningSecret next = SigningSecret.generate(new SecureRandom());
    String header =
        WebhookSignature.header(
            VECTOR_ID,
            VECTOR_TIMESTAMP,
            VECTOR_BODY,
            List.of(next, SigningSecret.parse(VECTOR_SECRET)));

    assertThat(header.split(" "))
        .containsExactly(
            "v1," + WebhookSignature.sign(VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY, next),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void any_change_of_id_timestamp_or_body_changes_the_signature() {
    SigningSecret secret = SigningSecret.parse(VECTOR_SECRET);
    String original = WebhookSignature.sign(VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY, secret);

    assertThat(WebhookSignature.sign("msg_other", VECTOR_TIMESTAMP, VECTOR_BODY, secret))
        .isNotEqualTo(original);
    assertThat(WebhookSignature.sign(VECTOR_ID, VECTOR_TIMESTAMP + 1, VECTOR_BODY, secret))
        .isNotEqualTo(original);
    assertThat(
            WebhookSignature.sign(
                VECTOR_ID, VECTOR_TIMESTAMP, "{\"test\":2432232314}".getBytes(), secret))
        .isNotEqualTo(original);
  }

  @Test
  void generated_secrets_are_32_random_bytes_in_the_whsec_format() {
    SigningSecret a = SigningSecret.generate(new SecureRandom());
    SigningSecret b = SigningSecret.generate(new SecureRandom());

    assertThat(a.text()).startsWith("whsec_").hasSize("whsec_".length() + 44);
    assertThat(SigningSecret.parse(a.text())).isEqualTo(a);
    assertThat(a).isNotEqualTo(b);
    assertThat(a.toString()).doesNotContain(a.text().substring(6));
  }

  @Test
  void text_that_is_no_secret_is_refused() {
    assertThatThrownBy(() -> SigningSecret.parse("whsec_not base64!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whsec_");
    assertThatThrownBy(() -> WebhookSignature.header("id", 1, new byte[0], List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
