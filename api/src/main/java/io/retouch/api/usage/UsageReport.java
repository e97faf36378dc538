package io.retouch.api.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * What {@code GET /api/usage} answers: per period and in total, the jobs that finished by final
 * status, the images they produced, the tokens OpenAI reported, and the estimated cost. The cost is
 * null for a period with jobs of a model the price table does not know ({@code unpriced_models}).
 */
public record UsageReport(
    UUID datasetId,
    Instant from,
    Instant to,
    String granularity,
    String currency,
    LocalDate pricesAsOf,
    List<String> unpricedModels,
    Usage total,
    List<Period> periods) {

  /** One period's usage. */
  public record Period(Instant start, Usage usage) {}

  /** Sums over jobs. */
  public record Usage(
      Jobs jobs, long images, long inputTokens, long outputTokens, BigDecimal estimatedCost) {}

  /** Finished jobs by final status. */
  public record Jobs(long succeeded, long failed, long canceled) {}
}
