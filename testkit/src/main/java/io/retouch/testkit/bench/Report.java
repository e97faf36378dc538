package io.retouch.testkit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The run's figures as a Markdown table (the README's) and as {@code bench/results.json}. */
final class Report {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Report() {}

  static String number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return String.valueOf(value);
    }
    double magnitude = Math.abs(value);
    String pattern = magnitude >= 100 ? "%.0f" : magnitude >= 10 ? "%.1f" : "%.2f";
    return String.format(Locale.ROOT, pattern, value);
  }

  static void table(List<Figure> figures, PrintStream out) {
    out.println("| figure | value | target | | what |");
    out.println("|---|---|---|---|---|");
    for (Figure f : figures) {
      out.printf(
          "| `%s` | %s %s | %s | %s | %s |%n",
          f.name(),
          number(f.value()),
          f.unit(),
          f.target().map(Figure.Target::text).orElse(""),
          f.verdict(),
          f.detail());
    }
  }

  static void write(Path file, List<Figure> figures, boolean quick, Instant started) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("started_at", started.toString());
    document.put("finished_at", Instant.now().toString());
    document.put("mode", quick ? "quick" : "full");
    document.put(
        "machine",
        Map.of(
            "cores", Runtime.getRuntime().availableProcessors(),
            "java", System.getProperty("java.version"),
            "os", System.getProperty("os.name") + " " + System.getProperty("os.version")));
    Map<String, Object> byName = new LinkedHashMap<>();
    for (Figure f : figures) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("value", f.value());
      entry.put("unit", f.unit());
      f.target()
          .ifPresent(
              t -> {
                entry.put("target", t.text());
                entry.put("met", t.holds(f.value()));
              });
      entry.put("detail", f.detail());
      byName.put(f.name(), entry);
    }
    document.put("figures", byName);
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, JSON.writeValueAsString(document) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
