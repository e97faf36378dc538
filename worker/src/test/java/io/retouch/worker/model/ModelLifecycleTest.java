package io.retouch.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.retouch.common.openai.OpenAiProperties;
import io.retouch.testkit.openai.FakeOpenAi;
import io.retouch.testkit.time.MutableClock;
import io.retouch.worker.model.ModelLifecycle.Status;
import io.retouch.worker.openai.OpenAiModelCatalog;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;

/**
 * The worker's view of its models, through the SDK's models endpoint against the fake; the worker's
 * clock is moved, never slept on.
 */
class ModelLifecycleTest {

  private static FakeOpenAi fake;
  private static OpenAIClient client;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-15T08:00:00Z"));
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger log = (Logger) LoggerFactory.getLogger(ModelLifecycle.class);

  @BeforeAll
  static void start() {
    fake = FakeOpenAi.start(0);
    client =
        OpenAIOkHttpClient.builder()
            .apiKey("sk-test")
            .baseUrl(fake.baseUrl())
            .maxRetries(0)
            .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    fake.close();
  }

  @BeforeEach
  void capture() {
    fake.reset();
    fake.setClock(clock); // OpenAI's day is the worker's, unless a test says otherwise
    logged.start();
    log.addAppender(logged);
  }

  @AfterEach
  void release() {
    log.detachAppender(logged);
  }

  private ModelLifecycle lifecycle(String model, String... fallbacks) {
    return new ModelLifecycle(
        new OpenAiModelCatalog(client),
        new OpenAiProperties(model, List.of(fallbacks), null, null, null, null, null),
        clock);
  }

  @Test
  void a_shut_down_model_fails_readiness_naming_the_setting_and_jobs_run_on_the_fallback() {
    ModelLifecycle lifecycle = lifecycle("gpt-image-1", "gpt-image-2.6-flare");

    lifecycle.check();

    assertThat(lifecycle.states().getFirst().status()).isEqualTo(Status.UNKNOWN);
    assertThat(lifecycle.usable()).containsExactly("gpt-image-2.6-flare");
    assertThat(lifecycle.readinessProblem())
        .hasValueSatisfying(
            p ->
                assertThat(p)
                    .startsWith(
                        "retouch.openai.model (RETOUCH_OPENAI_MODEL) gpt-image-1 is not usable")
                    .contains("jobs run on the fallback gpt-image-2.6-flare"));
    Health health = new ModelsHealthIndicator(lifecycle).health();
    assertThat(health.getStatus().getCode()).isEqualTo("DOWN");
    assertThat(health.getDetails()).containsEntry("running_on", "gpt-image-2.6-flare");
    assertThat(errors())
        .anyMatch(m -> m.contains("retouch.openai.model gpt-image-1 is not usable"));
  }

  @Test
  void a_model_past_its_shutdown_date_is_shut_down_even_while_still_listed() {
    // OpenAI still lists gpt-image-1.5 (its own day is 2026-11-15); the worker's is past Dec 1
    fake.setClock(
        java.time.Clock.fixed(Instant.parse("2026-11-15T00:00:00Z"), java.time.ZoneOffset.UTC));
    clock.set(Instant.parse("2026-12-02T00:00:00Z"));
    ModelLifecycle lifecycle = lifecycle("gpt-image-1.5");

    lifecycle.check();

    var state = lifecycle.states().getFirst();
    assertThat(state.status()).isEqualTo(Status.SHUT_DOWN);
    assertThat(state.shutdownDate()).contains(LocalDate.of(2026, 12, 1));
    assertThat(lifecycle.usable()).isEmpty();
    assertThat(lifecycle.readinessProblem())
        .hasValueSatisfying(
            p -> assertThat(p).contains("was shut down on 2026-12-01").contains("takes no jobs"));
  }

  @Test
  void a_model_within_thirty_days_of_its_shutdown_warns_at_every_daily_check_and_is_still_used() {
    ModelLifecycle lifecycle = lifecycle("gpt-image-1.5", "gpt-image-2.6-sunburst");

    lifecycle.check();
    clock.advance(Duration.ofDays(1));
    lifecycle.check();

    var state = lifecycle.states().getFirst();
    assertThat(state.status()).isEqualTo(Status.RETIRING);
    assertThat(state.detail()).contains("shuts down on 2026-12-01, in 15 days");
    assertThat(lifecycle.usable()).first().isEqualTo("gpt-image-1.5");
    assertThat(lifecycle.readinessProblem()).isEmpty();
    assertThat(warnings())
        .filteredOn(m -> m.contains("gpt-image-1.5 shuts down on 2026-12-01"))
        .hasSize(2);
    @SuppressWarnings("unchecked")
    Map<String, Object> detail =
        (Map<String, Object>)
            new ModelsHealthIndicator(lifecycle).health().getDetails().get("gpt-image-1.5");
    assertThat(detail)
        .containsEntry("status", "retiring")
        .containsEntry("shutdown_date", "2026-12-01");
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    ModelMetrics.register(lifecycle, clock, registry);
    assertThat(
            registry
                .get("retouch.openai.model.shutdown.days")
                .tag("model", "gpt-image-1.5")
                .gauge()
                .value())
        .isEqualTo(15);
    assertThat(
            registry
                .get("retouch.openai.model.usable")
                .tag("model", "gpt-image-1.5")
                .gauge()
                .value())
        .isEqualTo(1);
    assertThat(
            registry
                .get("retouch.openai.model.shutdown.days")
                .tag("model", "gpt-image-2.6-sunburst")
                .gauge()
                .value())
        .isNaN();
  }

  @Test
  void a_model_further_from_its_shutdown_is_current_and_quiet() {
    clock.set(Instant.parse("2026-10-01T00:00:00Z"));
    ModelLifecycle lifecycle = lifecycle("gpt-image-1.5");

    lifecycle.check();

    assertThat(lifecycle.states().getFirst().status()).isEqualTo(Status.CURRENT);
    assertThat(warnings()).isEmpty();
  }

  @Test
  void a_model_openai_does_not_know_is_unknown() {
    ModelLifecycle lifecycle = lifecycle("gpt-image-9", "gpt-image-2.6-sunburst");

    lifecycle.check();

    assertThat(lifecycle.states().getFirst().status()).isEqualTo(Status.UNKNOWN);
    assertThat(lifecycle.states().getFirst().detail()).contains("does not exist");
    assertThat(lifecycle.usable()).containsExactly("gpt-image-2.6-sunburst");
  }

  @Test
  void without_an_answer_the_table_knows_a_retired_model_and_others_are_tried() throws Exception {
    int closed;
    try (var socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    OpenAIClient nowhere =
        OpenAIOkHttpClient.builder()
            .apiKey("sk-test")
            .baseUrl("http://127.0.0.1:" + closed + "/v1")
            .maxRetries(0)
            .build();
    ModelLifecycle lifecycle =
        new ModelLifecycle(
            new OpenAiModelCatalog(nowhere),
            new OpenAiProperties(
                "gpt-image-1", List.of("gpt-image-2.6-sunburst"), null, null, null, null, null),
            clock);

    lifecycle.check();

    assertThat(lifecycle.states())
        .extracting(ModelLifecycle.ModelState::status)
        .containsExactly(Status.SHUT_DOWN, Status.UNCHECKED);
    assertThat(lifecycle.states().getFirst().detail()).contains("the capability table");
    assertThat(lifecycle.usable()).containsExactly("gpt-image-2.6-sunburst");
  }

  @Test
  void a_model_not_found_during_a_job_is_not_used_again_and_listeners_hear_of_it() {
    ModelLifecycle lifecycle = lifecycle("gpt-image-2.6-sunburst", "gpt-image-2.6-flare");
    lifecycle.check();
    List<List<String>> heard = new ArrayList<>();
    lifecycle.onUsableChange(heard::add);

    lifecycle.notFound("gpt-image-2.6-sunburst", "The model does not exist");

    assertThat(lifecycle.usable()).containsExactly("gpt-image-2.6-flare");
    assertThat(heard).containsExactly(List.of("gpt-image-2.6-flare"));
    assertThat(lifecycle.readinessProblem()).isPresent();
  }

  @Test
  void when_every_model_is_gone_nothing_is_usable() {
    Map<String, LocalDate> none = new HashMap<>();
    none.put("something-else", null);
    fake.setModels(none);
    ModelLifecycle lifecycle = lifecycle("gpt-image-2.6-sunburst", "gpt-image-2.5-sunburst");
    List<List<String>> heard = new ArrayList<>();
    lifecycle.onUsableChange(heard::add);

    lifecycle.check();

    assertThat(lifecycle.usable()).isEmpty();
    assertThat(heard).containsExactly(List.of());
    assertThat(lifecycle.readinessProblem())
        .hasValueSatisfying(p -> assertThat(p).contains("no fallback is usable either"));
  }

  private List<String> warnings() {
    return logged.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private List<String> errors() {
    return logged.list.stream()
        .filter(e -> e.getLevel() == Level.ERROR)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }
}
