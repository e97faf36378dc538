package io.retouch.worker.webhook;

import static io.retouch.db.testing.TestData.aJob;
import static io.retouch.db.testing.TestData.aTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.Headers;
import com.openai.errors.OpenAIException;
import com.openai.models.webhooks.WebhookVerificationParams;
import io.retouch.common.event.EventType;
import io.retouch.common.job.TokenUsage;
import io.retouch.common.net.AddressPolicy;
import io.retouch.common.webhook.JobWebhook;
import io.retouch.common.webhook.WebhookProperties;
import io.retouch.db.DbConfiguration;
import io.retouch.db.event.EventRenderer;
import io.retouch.db.event.JobEventStore;
import io.retouch.db.event.JobViews;
import io.retouch.db.fair.QueueStanding;
import io.retouch.db.job.AttemptStore;
import io.retouch.db.job.Claim;
import io.retouch.db.job.JobStore;
import io.retouch.db.job.NewOutput;
import io.retouch.db.testing.TestData.Tenant;
import io.retouch.db.webhook.Delivery;
import io.retouch.db.webhook.DeliveryStatus;
import io.retouch.db.webhook.DeliveryStore;
import io.retouch.db.webhook.EndpointSecrets;
import io.retouch.db.webhook.WebhookConfiguration;
import io.retouch.db.webhook.WebhookEndpoint;
import io.retouch.db.webhook.WebhookEndpointStore;
import io.retouch.testkit.s3.LocalObjectStores;
import io.retouch.testkit.services.TestServices;
import io.retouch.testkit.time.MutableClock;
import io.retouch.testkit.webhook.WebhookReceiver;
import io.retouch.testkit.webhook.WebhookReceiver.Received;
import io.retouch.testkit.webhook.WebhookReceiver.Reply;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dispatcher against real Postgres and a real HTTP receiver, time moved by the test clock.
 * Signatures are checked with openai-java's Standard Webhooks verifier, never with Retouch's
 * signer.
 */
@SpringBootTest(
    classes = WebhookDispatcherTest.App.class,
    properties = {
      "retouch.outbox.enabled=false",
      "spring.rabbitmq.publisher-confirm-type=simple",
      // the worker's own health contributors are not part of this slice
      "management.endpoint.health.group.readiness.include=readinessState"
    })
class WebhookDispatcherTest {

  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The verifier only; it never sends a request. */
  private static final OpenAIClient VERIFIER =
      OpenAIOkHttpClient.builder().apiKey("unused").baseUrl("http://127.0.0.1:9").build();

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({DbConfiguration.class, WebhookConfiguration.class})
  static class App {
    @Bean
    @Primary
    MutableClock testClock() {
      return MutableClock.startingNow();
    }
  }

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    TestServices.get().springProperties().forEach((k, v) -> registry.add(k, () -> v));
  }

  @Autowired JobStore jobs;
  @Autowired AttemptStore attempts;
  @Autowired JobEventStore events;
  @Autowired WebhookEndpointStore endpoints;
  @Autowired DeliveryStore deliveries;
  @Autowired JdbcClient jdbc;
  @Autowired MutableClock clock;

  private final WebhookReceiver receiver = WebhookReceiver.start(0);
  private Tenant tenant;

  @BeforeEach
  void setUp() {
    // what other tests left pending is not this test's to send
    jdbc.sql("UPDATE webhook_deliveries SET status = 'skipped' WHERE status = 'pending'").update();
    tenant = aTenant(jdbc);
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  private WebhookDispatcher dispatcher(boolean allowPrivateNetworks) {
    var views =
        new JobViews(
            LocalObjectStores.bucket("webhook-tests"),
            LocalObjectStores.properties("webhook-tests"),
            new QueueStanding(jdbc, clock),
            clock);
    var props = new WebhookProperties(true, Duration.ofSeconds(5), null, null, null, 4, null);
    return new WebhookDispatcher(
        deliveries,
        events,
        new EventRenderer(jobs, views),
        new WebhookSender(new AddressPolicy(allowPrivateNetworks), props.timeout(), clock),
        props,
        "test-worker",
        clock,
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  /** Sends until nothing is due now. */
  private static void drain(WebhookDispatcher dispatcher) {
    while (dispatcher.sendDue() > 0) {
      // each round sends what became due when the previous one finished (a job's next event)
    }
  }

  private WebhookEndpointStore.Created endpoint(Tenant owner, String path) {
    return endpoints.create(
        owner.datasetId(),
        new WebhookEndpoint.Settings(
            receiver.url(path).toString(), Optional.empty(), Optional.empty(), true));
  }

  private UUID finishedJob(Tenant owner, Optional<JobWebhook> webhook) {
    var job = aJob().of(owner).createdAt(clock.instant());
    webhook.ifPresent(job::withWebhook);
    UUID id = jobs.create(job.build()).id();
    Claim claim = attempts.claim(id, "w", LEASE, "m").orElseThrow();
    attempts.succeed(
        claim, List.of(new NewOutput(0, "k/" + id, "image/png", 1, "s")), TokenUsage.unknown());
    return id;
  }

  /** The newest delivery of an endpoint's log. */
  private Delivery latestDelivery(WebhookEndpointStore.Created endpoint) {
    return deliveries
        .page(tenant.datasetId(), endpoint.endpoint().id(), Optional.empty(), Optional.empty(), 1)
        .deliveries()
        .getFirst();
  }

  private static void verify(Received request, String secret) {
    Headers.Builder headers = Headers.builder();
    for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
      headers.put(name, request.header(name));
    }
    VERIFIER
        .webhooks()
        .verifySignature(
            WebhookVerificationParams.builder()
                .payload(request.bodyText())
                .headers(headers.build())
                .secret(secret)
                // the test clock runs ahead of the verifier's
                .tolerance(Duration.ofDays(3650))
                .build());
  }

  private static JsonNode json(Received request) {
    return JSON.readTree(request.body());
  }

  @Test
  void a_receiver_down_for_hours_gets_every_event_once_it_is_back_each_one_validly_signed() {
    WebhookEndpointStore.Created endpoint = endpoint(tenant, "/hook");
    String secret = endpoint.secrets().current().text();
    List<UUID> jobIds = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      jobIds.add(finishedJob(tenant, Optional.empty()));
    }
    WebhookDispatcher dispatcher = dispatcher(true);

    receiver.answer(r -> new Reply(503, Map.of(), "maintenance"));
    drain(dispatcher);
    assertThat(receiver.received()).as("the first event of each job, then they wait").hasSize(3);
    receiver.stop();
    for (Duration wait :
        List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30))) {
      clock.advance(wait);
      drain(dispatcher);
    }
    receiver.start();
    receiver.answer(204);
    clock.advance(Duration.ofHours(2));
    drain(dispatcher);

    List<Received> delivered =
        receiver.received().stream().filter(r -> r.path().equals("/hook")).toList();
    Set<String> ids = new LinkedHashSet<>();
    Map<UUID, List<String>> typesPerJob = new HashMap<>();
    for (Received request : delivered.subList(3, delivered.size())) {
      verify(request, secret);
      JsonNode event = json(request);
      assertThat(event.get("id").asString()).isEqualTo(request.header("webhook-id"));
      assertThat(request.header("content-type")).startsWith("application/json");
      assertThat(ids.add(request.header("webhook-id"))).as("sent once after coming back").isTrue();
      typesPerJob
          .computeIfAbsent(
              UUID.fromString(event.get("data").get("id").asString()), k -> new ArrayList<>())
          .add(event.get("type").asString());
    }
    assertThat(ids).hasSize(9);
    assertThat(typesPerJob.keySet()).containsExactlyInAnyOrderElementsOf(jobIds);
    typesPerJob
        .values()
        .forEach(
            types ->
                assertThat(types)
                    .as("in order")
                    .containsExactly(
                        "edit_image.queued", "edit_image.processing", "edit_image.succeeded"));
    Delivery first =
        deliveries
            .page(
                tenant.datasetId(),
                endpoint.endpoint().id(),
                Optional.empty(),
                Optional.empty(),
                100)
            .deliveries()
            .getLast();
    assertThat(first.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(first.attemptLog())
        .extracting(a -> a.httpStatus().orElse(0))
        .containsExactly(503, 0, 0, 0, 204);
    assertThat(first.attemptLog().getFirst().responseExcerpt()).contains("maintenance");
    assertThat(first.attemptLog().get(1).error().orElseThrow()).contains("connection refused");
  }

  @Test
  void a_receiver_answering_410_turns_its_endpoint_off() {
    WebhookEndpointStore.Created endpoint = endpoint(tenant, "/gone");
    receiver.answer(410);
    finishedJob(tenant, Optional.empty());

    drain(dispatcher(true));

    WebhookEndpoint off =
        endpoints.find(tenant.datasetId(), endpoint.endpoint().id()).orElseThrow();
    assertThat(off.enabled()).isFalse();
    assertThat(off.disabledReason().orElseThrow()).contains("410 Gone");
    assertThat(receiver.received()).hasSize(1);
    finishedJob(tenant, Optional.empty());
    clock.advance(Duration.ofDays(1));
    drain(dispatcher(true));
    assertThat(receiver.received()).as("nothing more is sent to it").hasSize(1);
  }

  @Test
  void a_redirect_is_a_failure_and_is_not_followed() {
    WebhookEndpointStore.Created endpoint = endpoint(tenant, "/moved");
    receiver.answer(
        r ->
            r.path().equals("/moved")
                ? new Reply(302, Map.of("Location", receiver.url("/elsewhere").toString()), "")
                : Reply.of(204));
    jobs.create(aJob().of(tenant).createdAt(clock.instant()).build());

    drain(dispatcher(true));

    assertThat(receiver.received()).extracting(Received::path).containsExactly("/moved");
    Delivery delivery = latestDelivery(endpoint);
    assertThat(delivery.status()).isEqualTo(DeliveryStatus.PENDING);
    assertThat(delivery.lastError().orElseThrow())
        .contains("answered 302")
        .contains("redirects are not followed");
  }

  @Test
  void a_loopback_receiver_is_refused_while_private_networks_are_off() {
    WebhookEndpointStore.Created endpoint =
        endpoints.create(
            tenant.datasetId(),
            new WebhookEndpoint.Settings(
                "http://localhost:" + receiver.url("/").getPort() + "/hook",
                Optional.empty(),
                Optional.empty(),
                true));
    jobs.create(aJob().of(tenant).createdAt(clock.instant()).build());

    drain(dispatcher(false));

    assertThat(receiver.received()).isEmpty();
    Delivery delivery = latestDelivery(endpoint);
    assertThat(delivery.status()).isEqualTo(DeliveryStatus.REFUSED);
    assertThat(delivery.lastError().orElseThrow()).contains("Loopback");
    assertThat(
            endpoints
                .find(tenant.datasetId(), endpoint.endpoint().id())
                .orElseThrow()
                .lastError()
                .orElseThrow())
        .contains("localhost resolves to")
        .contains("Loopback");
  }

  @Test
  void two_datasets_never_receive_each_others_events() {
    Tenant other = aTenant(jdbc);
    WebhookEndpointStore.Created mine = endpoint(tenant, "/mine");
    WebhookEndpointStore.Created theirs = endpoint(other, "/theirs");
    Set<String> myJobs = Set.of(finishedJob(tenant, Optional.empty()).toString());
    Set<String> theirJobs = Set.of(finishedJob(other, Optional.empty()).toString());

    drain(dispatcher(true));

    assertThat(receiver.received()).hasSize(6);
    for (Received request : receiver.received()) {
      String job = json(request).get("data").get("id").asString();
      if (request.path().equals("/mine")) {
        assertThat(myJobs).contains(job);
        verify(request, mine.secrets().current().text());
        assertThatThrownBy(() -> verify(request, theirs.secrets().current().text()))
            .isInstanceOf(OpenAIException.class);
      } else {
        assertThat(theirJobs).contains(job);
        verify(request, theirs.secrets().current().text());
      }
    }
  }

  @Test
  void after_rotate_secret_both_secrets_verify_for_24_hours_then_only_the_new_one() {
    WebhookEndpointStore.Created endpoint = endpoint(tenant, "/rotated");
    String old = endpoint.secrets().current().text();
    EndpointSecrets rotated =
        endpoints.rotate(tenant.datasetId(), endpoint.endpoint().id()).orElseThrow();
    jobs.create(aJob().of(tenant).createdAt(clock.instant()).build());
    drain(dispatcher(true));

    Received during = receiver.received().getLast();
    assertThat(during.header("webhook-signature").split(" ")).hasSize(2);
    verify(during, old);
    verify(during, rotated.current().text());

    clock.advance(Duration.ofHours(24).plusSeconds(1));
    jobs.create(aJob().of(tenant).createdAt(clock.instant()).build());
    drain(dispatcher(true));
    Received after = receiver.received().getLast();
    assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
    verify(after, rotated.current().text());
    assertThatThrownBy(() -> verify(after, old)).isInstanceOf(OpenAIException.class);
  }

  @Test
  void a_jobs_own_webhook_gets_its_terminal_event_signed_with_the_datasets_default_secret() {
    URI own = receiver.url("/job");
    UUID id = finishedJob(tenant, Optional.of(new JobWebhook(own, EventType.TERMINAL)));

    drain(dispatcher(true));

    assertThat(receiver.received()).hasSize(1);
    Received request = receiver.received().getFirst();
    verify(request, endpoints.defaultSecrets(tenant.datasetId()).current().text());
    JsonNode event = json(request);
    assertThat(event.get("type").asString()).isEqualTo("edit_image.succeeded");
    assertThat(event.get("data").get("id").asString()).isEqualTo(id.toString());
    assertThat(event.get("data").get("webhook").asString()).isEqualTo(own.toString());
    assertThat(event.get("data").get("image_urls")).hasSize(1);
    assertThat(deliveries.ofJob(tenant.datasetId(), id))
        .extracting(Delivery::status)
        .containsExactly(DeliveryStatus.DELIVERED);
  }

  @Test
  void retry_after_of_a_busy_receiver_moves_the_next_attempt() {
    endpoint(tenant, "/busy");
    receiver.answer(r -> new Reply(429, Map.of("Retry-After", "120"), ""));
    jobs.create(aJob().of(tenant).createdAt(clock.instant()).build());
    WebhookDispatcher dispatcher = dispatcher(true);
    drain(dispatcher);

    clock.advance(Duration.ofSeconds(60));
    drain(dispatcher);
    assertThat(receiver.received()).as("the schedule's 5 s would have sent it").hasSize(1);
    clock.advance(Duration.ofSeconds(61));
    drain(dispatcher);
    assertThat(receiver.received()).hasSize(2);
  }
}
