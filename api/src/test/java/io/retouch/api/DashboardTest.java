package io.retouch.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.retouch.testkit.compose.ComposeFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard and the Prometheus configuration in {@code deploy/} against what the apps
 * export and what the compose file runs: a renamed meter or port breaks this, not a dashboard.
 */
class DashboardTest {

  private static final Path DEPLOY = Path.of("..", "deploy");
  private static final Pattern METER = Pattern.compile("\\bretouch_[a-z_]+");

  @Test
  void every_meter_the_dashboard_queries_is_one_the_readme_documents() throws IOException {
    JsonNode dashboard =
        JsonMapper.builder()
            .build()
            .readTree(Files.readString(DEPLOY.resolve("grafana/dashboards/retouch.json")));
    String readme = Files.readString(Path.of("..", "README.md"));
    Set<String> documented = meters(readme);
    Set<String> queried = new TreeSet<>();
    for (JsonNode panel : dashboard.get("panels")) {
      assertThat(panel.get("targets")).as(panel.get("title").asString()).isNotEmpty();
      for (JsonNode target : panel.get("targets")) {
        assertThat(target.get("expr").asString()).contains("retouch_");
        queried.addAll(meters(target.get("expr").asString()));
      }
    }

    assertThat(queried).isNotEmpty();
    for (String meter : queried) {
      String base = meter.replaceAll("_(bucket|count|sum)$", "");
      assertThat(documented).as("README documents " + meter).contains(base);
    }
  }

  @Test
  void prometheus_scrapes_the_ports_the_compose_services_serve_metrics_on() throws IOException {
    Map<String, Object> config =
        new Yaml().load(Files.readString(DEPLOY.resolve("prometheus.yml")));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> jobs = (List<Map<String, Object>>) config.get("scrape_configs");
    ComposeFile compose = ComposeFile.load(Path.of("..", "docker-compose.yml"));

    assertThat(jobs).hasSize(2);
    for (Map<String, Object> job : jobs) {
      assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
      @SuppressWarnings("unchecked")
      Map<String, Object> dns = ((List<Map<String, Object>>) job.get("dns_sd_configs")).getFirst();
      String service = ((List<?>) dns.get("names")).getFirst().toString();
      int port = (Integer) dns.get("port");
      assertThat(String.join(" ", compose.service(service).healthcheck()))
          .as(service + " answers on the port Prometheus scrapes")
          .contains("/dev/tcp/127.0.0.1/" + port);
    }
    for (String optional : List.of("prometheus", "grafana")) {
      assertThat(compose.service(optional).raw().get("profiles"))
          .as(optional + " runs only when asked for")
          .isEqualTo(List.of("observability"));
    }
  }

  private static Set<String> meters(String text) {
    Set<String> found = new TreeSet<>();
    Matcher m = METER.matcher(text);
    while (m.find()) {
      found.add(m.group());
    }
    return found;
  }
}
