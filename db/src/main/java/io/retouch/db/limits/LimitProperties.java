package io.retouch.db.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits per API key and per dataset ({@code retouch.limits.*}); their state is in Postgres, so
 * they hold across any number of API replicas.
 *
 * @param keyRate requests per second an API key may make on average (its bucket's refill rate)
 * @param keyBurst requests an API key may make at once (its bucket's size)
 * @param datasetMaxActive queued plus running jobs a dataset may have, unless the dataset sets its
 *     own ({@code datasets.max_active})
 * @param onOutage what the key limiter does when it cannot reach Postgres: {@code open} lets the
 *     request through, {@code closed} answers 503
 */
@ConfigurationProperties("retouch.limits")
public record LimitProperties(
    Double keyRate, Integer keyBurst, Integer datasetMaxActive, OnOutage onOutage) {

  /** Default of {@code dataset-max-active}. */
  public static final int DATASET_MAX_ACTIVE = 10_000;

  /** What a limiter that cannot decide does. */
  public enum OnOutage {
    OPEN,
    CLOSED
  }

  public LimitProperties {
    keyRate = keyRate == null ? 50.0 : keyRate;
    keyBurst = keyBurst == null ? 500 : keyBurst;
    datasetMaxActive = datasetMaxActive == null ? DATASET_MAX_ACTIVE : datasetMaxActive;
    onOutage = onOutage == null ? OnOutage.OPEN : onOutage;
    if (keyRate <= 0 || keyBurst < 1 || datasetMaxActive < 1) {
      throw new IllegalArgumentException(
          "retouch.limits.key-rate must be positive, key-burst and dataset-max-active at least 1");
    }
  }
}
