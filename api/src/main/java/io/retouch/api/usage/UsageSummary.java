package io.retouch.api.usage;

import io.retouch.common.job.JobStatus;
import io.retouch.db.usage.UsageStore;
import io.retouch.db.usage.UsageStore.Granularity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/** Sums the store's rows into a report and prices them with the configured table. */
@Component
@EnableConfigurationProperties(UsageProperties.class)
public class UsageSummary {

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  private static final Pattern SNAPSHOT = Pattern.compile("-\\d{4}-\\d{2}-\\d{2}$");

  private final UsageProperties props;
  private final Map<String, UsageProperties.Price> prices;

  public UsageSummary(UsageProperties props) {
    this.props = props;
    this.prices = props.table();
  }

  UsageReport report(
      UUID datasetId,
      Instant from,
      Instant to,
      Granularity granularity,
      List<UsageStore.Row> rows) {
    Map<Instant, List<UsageStore.Row>> byPeriod =
        rows.stream()
            .collect(
                Collectors.groupingBy(
                    UsageStore.Row::periodStart, TreeMap::new, Collectors.toList()));
    List<UsageReport.Period> periods = new ArrayList<>();
    byPeriod.forEach(
        (start, periodRows) -> periods.add(new UsageReport.Period(start, sum(periodRows))));
    TreeSet<String> unpriced =
        rows.stream()
            .filter(row -> row.inputTokens() > 0 || row.outputTokens() > 0)
            .map(UsageStore.Row::model)
            .filter(model -> price(model).isEmpty())
            .collect(Collectors.toCollection(TreeSet::new));
    return new UsageReport(
        datasetId,
        from,
        to,
        granularity.wireName(),
        "USD",
        props.pricesAsOf(),
        List.copyOf(unpriced),
        sum(rows),
        periods);
  }

  private UsageReport.Usage sum(List<UsageStore.Row> rows) {
    BigDecimal cost = BigDecimal.ZERO;
    for (UsageStore.Row row : rows) {
      Optional<UsageProperties.Price> price = price(row.model());
      if (price.isEmpty() && (row.inputTokens() > 0 || row.outputTokens() > 0)) {
        cost = null;
        break;
      }
      cost =
          price
              .map(
                  p ->
                      p.inputPerMillion()
                          .multiply(BigDecimal.valueOf(row.inputTokens()))
                          .add(
                              p.outputPerMillion().multiply(BigDecimal.valueOf(row.outputTokens())))
                          .divide(MILLION))
              .map(cost::add)
              .orElse(cost);
    }
    return new UsageReport.Usage(
        new UsageReport.Jobs(
            jobs(rows, JobStatus.SUCCEEDED),
            jobs(rows, JobStatus.FAILED),
            jobs(rows, JobStatus.CANCELED)),
        total(rows, UsageStore.Row::images),
        total(rows, UsageStore.Row::inputTokens),
        total(rows, UsageStore.Row::outputTokens),
        cost == null ? null : cost.setScale(6, RoundingMode.HALF_EVEN));
  }

  private Optional<UsageProperties.Price> price(String model) {
    UsageProperties.Price exact = prices.get(model);
    return Optional.ofNullable(
        exact != null ? exact : prices.get(SNAPSHOT.matcher(model).replaceFirst("")));
  }

  private static long jobs(List<UsageStore.Row> rows, JobStatus status) {
    return rows.stream()
        .filter(r -> r.status().equals(status.wireName()))
        .mapToLong(UsageStore.Row::jobs)
        .sum();
  }

  private static long total(List<UsageStore.Row> rows, Function<UsageStore.Row, Long> field) {
    return rows.stream().mapToLong(field::apply).sum();
  }
}
