package io.retouch.api.usage;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The price table behind usage's estimated cost ({@code retouch.usage.*}), in US dollars per
 * million tokens, by model; a dated snapshot ({@code gpt-image-2-2026-04-21}) takes its model's
 * price. Configured prices are added to the built-in ones and replace them model by model. A list,
 * not a map keyed by model, because model names hold dots ({@code retouch.usage.prices[0].model}).
 *
 * @param prices {@code model}, {@code input-per-million} and {@code output-per-million} each
 * @param pricesAsOf the day the prices were last checked, shown with every report
 */
@ConfigurationProperties("retouch.usage")
public record UsageProperties(List<ModelPrice> prices, LocalDate pricesAsOf) {

  /** A configured row of the table. */
  public record ModelPrice(String model, BigDecimal inputPerMillion, BigDecimal outputPerMillion) {}

  /**
   * OpenAI's list prices as of {@link #BUILT_IN_AS_OF} (openai.com/api/pricing, as reported by
   * third-party model catalogues; the 2.5 and 2.6 models had no published price here): gpt-image-2
   * text input $5, image input $8, image output $30 per million tokens. Jobs record input tokens
   * without the text/image split, so input is priced at the image rate: an edit's input is mostly
   * its images.
   */
  static final Map<String, Price> BUILT_IN =
      Map.of("gpt-image-2", new Price(new BigDecimal("8.00"), new BigDecimal("30.00")));

  static final LocalDate BUILT_IN_AS_OF = LocalDate.of(2026, 12, 1);

  /** Dollars per million input and output tokens. */
  public record Price(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
    public Price {
      if (inputPerMillion == null
          || outputPerMillion == null
          || inputPerMillion.signum() < 0
          || outputPerMillion.signum() < 0) {
        throw new IllegalArgumentException(
            "retouch.usage.prices.<model> needs input-per-million and output-per-million, both"
                + " at least 0");
      }
    }
  }

  public UsageProperties {
    prices = prices == null ? List.of() : List.copyOf(prices);
    pricesAsOf = pricesAsOf == null ? BUILT_IN_AS_OF : pricesAsOf;
  }

  /** The built-in prices with the configured ones over them, by model. */
  public Map<String, Price> table() {
    Map<String, Price> merged = new LinkedHashMap<>(BUILT_IN);
    for (ModelPrice row : prices) {
      if (row.model() == null || row.model().isBlank()) {
        throw new IllegalArgumentException("retouch.usage.prices[].model must name a model");
      }
      merged.put(row.model(), new Price(row.inputPerMillion(), row.outputPerMillion()));
    }
    return Map.copyOf(merged);
  }
}
