package io.retouch.common.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Signature Version 4 query signing, against AWS's own published example. */
class PresignedUrlsTest {

  private static final AwsBasicCredentials EXAMPLE =
      AwsBasicCredentials.create(
          "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  private static final Instant MAY_24_2013 = Instant.parse("2013-05-24T00:00:00Z");

  private static PresignedUrls urls(URI endpoint, boolean pathStyle) {
    return new PresignedUrls(
        StaticCredentialsProvider.create(EXAMPLE),
        "us-east-1",
        endpoint,
        pathStyle,
        Clock.systemUTC());
  }

  @Test
  void the_example_of_the_s3_documentation_gets_its_signature() {
    // docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html, "An example"
    URI url =
        urls(URI.create("https://s3.amazonaws.com"), false)
            .get("examplebucket", "test.txt", Duration.ofSeconds(86400), MAY_24_2013, EXAMPLE);

    assertThat(url.toString())
        .isEqualTo(
            "https://examplebucket.s3.amazonaws.com/test.txt"
                + "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature="
                + "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
  }

  @Test
  void path_style_keeps_the_port_and_encodes_each_segment_of_the_key() {
    URI url =
        urls(URI.create("http://127.0.0.1:9000"), true)
            .get("bench", "outputs/a b/0+1.png", Duration.ofHours(1), MAY_24_2013, EXAMPLE);

    assertThat(url.getScheme()).isEqualTo("http");
    assertThat(url.getRawAuthority()).isEqualTo("127.0.0.1:9000");
    assertThat(url.getRawPath()).isEqualTo("/bench/outputs/a%20b/0%2B1.png");
    assertThat(url.getRawQuery()).contains("X-Amz-Expires=3600&");
  }

  @Test
  void session_credentials_sign_with_their_token_and_aws_is_the_default_endpoint() {
    AwsSessionCredentials session =
        AwsSessionCredentials.create(EXAMPLE.accessKeyId(), EXAMPLE.secretAccessKey(), "tok/en=");
    URI url = urls(null, false).get("b", "k.png", Duration.ofMinutes(5), MAY_24_2013, session);

    assertThat(url.getHost()).isEqualTo("b.s3.us-east-1.amazonaws.com");
    assertThat(url.getRawQuery())
        .contains("&X-Amz-Security-Token=tok%2Fen%3D&X-Amz-SignedHeaders=host&");
  }

  @Test
  void a_lifetime_beyond_what_s3_accepts_is_refused() {
    PresignedUrls urls = urls(null, true);

    assertThatThrownBy(() -> urls.get("b", "k", Duration.ofDays(8), MAY_24_2013, EXAMPLE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("7 days");
    assertThatThrownBy(() -> urls.get("b", "k", Duration.ZERO, MAY_24_2013, EXAMPLE))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
