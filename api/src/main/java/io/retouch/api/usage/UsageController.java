package io.retouch.api.usage;

import io.retouch.api.auth.AuthScope;
import io.retouch.api.auth.Caller;
import io.retouch.common.edit.InvalidRequestException;
import io.retouch.db.auth.Role;
import io.retouch.db.usage.UsageStore;
import io.retouch.db.usage.UsageStore.Granularity;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/usage}: what the caller's dataset used, by hour or by day. */
@RestController
@RequestMapping("/api/usage")
public class UsageController {

  /** Periods one report may hold: a month of hours, a year and a day of days. */
  static final int MAX_PERIODS = 744;

  private final UsageStore store;
  private final UsageSummary summary;
  private final Clock clock;

  public UsageController(UsageStore store, UsageSummary summary, Clock clock) {
    this.store = store;
    this.summary = summary;
    this.clock = clock;
  }

  @Operation(
      summary = "Usage of the dataset",
      description =
          "Jobs that finished in [from, to) by final status, images produced, tokens as OpenAI"
              + " reported them and the estimated cost, per hour or day (UTC) and in total")
  @GetMapping
  public UsageReport usage(
      @Caller(Role.READ) AuthScope scope,
      @Parameter(
              description =
                  "RFC 3339 start (inclusive); default: 30 days (day) or 24 hours"
                      + " (hour) before to")
          @RequestParam(name = "from", required = false)
          String from,
      @Parameter(description = "RFC 3339 end (exclusive); default: now")
          @RequestParam(name = "to", required = false)
          String to,
      @Parameter(description = "day (default) or hour")
          @RequestParam(name = "granularity", required = false)
          String granularity) {
    Granularity unit = granularity(granularity);
    Instant end = time("to", to).orElse(clock.instant());
    Duration period = unit == Granularity.HOUR ? Duration.ofHours(1) : Duration.ofDays(1);
    Instant start =
        time("from", from)
            .orElse(
                end.minus(unit == Granularity.HOUR ? Duration.ofHours(24) : Duration.ofDays(30)));
    if (!start.isBefore(end)) {
      throw new InvalidRequestException("from", "from must be before to");
    }
    if (Duration.between(start, end).dividedBy(period) > MAX_PERIODS) {
      throw new InvalidRequestException(
          "from",
          "a report holds at most %d periods: shorten from..to or use granularity=day"
              .formatted(MAX_PERIODS));
    }
    return summary.report(
        scope.datasetId(), start, end, unit, store.usage(scope.datasetId(), start, end, unit));
  }

  private static Granularity granularity(String value) {
    if (value == null) {
      return Granularity.DAY;
    }
    return Arrays.stream(Granularity.values())
        .filter(g -> g.wireName().equals(value))
        .findFirst()
        .orElseThrow(
            () -> new InvalidRequestException("granularity", "granularity must be day or hour"));
  }

  private static Optional<Instant> time(String field, String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(java.time.OffsetDateTime.parse(value).toInstant());
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(
          field, field + " must be an RFC 3339 time such as 2026-12-01T00:00:00Z");
    }
  }
}
