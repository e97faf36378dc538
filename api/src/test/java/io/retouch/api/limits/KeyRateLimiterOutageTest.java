package io.retouch.api.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.retouch.api.ApiProperties;
import io.retouch.api.http.ApiException;
import io.retouch.db.limits.KeyBuckets;
import io.retouch.db.limits.LimitProperties;
import io.retouch.db.limits.LimitProperties.OnOutage;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** A limiter that cannot reach Postgres fails open or closed, as configured. */
class KeyRateLimiterOutageTest {

  // the real driver against a port nothing listens on: every take fails as in an outage
  private final KeyBuckets unreachable =
      new KeyBuckets(
          JdbcClient.create(
              new DriverManagerDataSource(
                  "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2", "postgres", "")),
          1,
          1);

  @Test
  void failing_open_lets_the_request_through() {
    KeyRateLimiter limiter = new KeyRateLimiter(unreachable, limits(OnOutage.OPEN), api());

    assertThatCode(() -> limiter.spend(UUID.randomUUID(), null)).doesNotThrowAnyException();
  }

  @Test
  void failing_closed_answers_503_with_retry_after() {
    KeyRateLimiter limiter = new KeyRateLimiter(unreachable, limits(OnOutage.CLOSED), api());

    assertThatThrownBy(() -> limiter.spend(UUID.randomUUID(), null))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
              assertThat(e.getMessage()).contains("retouch.limits.on-outage=closed");
              assertThat(e.retryAfter()).isPositive();
            });
  }

  private static LimitProperties limits(OnOutage onOutage) {
    return new LimitProperties(null, null, null, onOutage);
  }

  private static ApiProperties api() {
    return new Binder(new MapConfigurationPropertySource())
        .bindOrCreate("retouch.api", ApiProperties.class);
  }
}
