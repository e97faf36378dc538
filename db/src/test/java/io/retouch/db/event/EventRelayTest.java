package io.retouch.db.event;

import static io.retouch.db.testing.TestData.aJob;
import static io.retouch.db.testing.TestData.aTenant;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.retouch.common.job.TokenUsage;
import io.retouch.common.messaging.EventPublisher;
import io.retouch.common.messaging.Topology;
import io.retouch.common.storage.StorageProperties;
import io.retouch.db.DbIntegrationTest;
import io.retouch.db.fair.QueueStanding;
import io.retouch.db.job.AttemptStore;
import io.retouch.db.job.Claim;
import io.retouch.db.job.JobStore;
import io.retouch.db.job.NewOutput;
import io.retouch.db.testing.TestData.Tenant;
import io.retouch.testkit.s3.LocalObjectStores;
import io.retouch.testkit.services.TestServices;
import io.retouch.testkit.time.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Events reach the topic exchange, routed by type, with the event id as message id, in order. */
class EventRelayTest extends DbIntegrationTest {

  @Autowired JobStore jobs;
  @Autowired AttemptStore attempts;
  @Autowired JdbcClient jdbc;
  @Autowired MutableClock clock;
  @Autowired PlatformTransactionManager transactions;
  @Autowired EventPublisher publisher;
  @Autowired Topology topology;

  private Connection connection;
  private Channel channel;
  private String queue;
  private EventRelay relay;

  @BeforeEach
  void bindAQueue() throws Exception {
    connection = TestServices.get().rabbit().connectionFactory().newConnection("event-relay-test");
    channel = connection.createChannel();
    // as the app declares it (RabbitAdmin does so on the app's first connection)
    channel.exchangeDeclare(topology.eventsExchange(), "topic", true);
    queue = channel.queueDeclare("", false, true, true, null).getQueue();
    channel.queueBind(queue, topology.eventsExchange(), "edit_image.#");
    // what earlier tests left unpublished is not this test's
    jdbc.sql("UPDATE job_events SET published_at = now() WHERE published_at IS NULL").update();
    var store = LocalObjectStores.bucket("event-relay-tests");
    var storage =
        new StorageProperties(
            null, null, null, "event-relay-tests", null, null, null, null, null, null);
    relay =
        new EventRelay(
            jdbc,
            new TransactionTemplate(transactions),
            publisher,
            new EventRenderer(
                jobs, new JobViews(store, storage, new QueueStanding(jdbc, clock), clock)),
            clock,
            Duration.ofSeconds(1),
            100);
  }

  @AfterEach
  void close() throws Exception {
    connection.close();
  }

  @Test
  void every_event_is_published_once_by_type_with_its_id_and_its_job() throws Exception {
    Tenant tenant = aTenant(jdbc);
    UUID id = UUID.randomUUID();
    jobs.create(aJob(tenant, id, clock.instant()));
    Claim claim = attempts.claim(id, "w", Duration.ofMinutes(1), "m").orElseThrow();
    attempts.succeed(
        claim, List.of(new NewOutput(0, "k", "image/png", 1, "s")), TokenUsage.unknown());

    assertThat(relay.drain()).isEqualTo(3);
    assertThat(relay.drain()).isZero();

    List<GetResponse> received = new ArrayList<>();
    for (GetResponse r; (r = channel.basicGet(queue, true)) != null; ) {
      received.add(r);
    }
    assertThat(received)
        .extracting(r -> r.getEnvelope().getRoutingKey())
        .containsExactly("edit_image.queued", "edit_image.processing", "edit_image.succeeded");
    JsonNode last =
        JsonMapper.builder()
            .build()
            .readTree(new String(received.getLast().getBody(), StandardCharsets.UTF_8));
    assertThat(received.getLast().getProps().getMessageId()).isEqualTo(last.get("id").asString());
    assertThat(last.get("type").asString()).isEqualTo("edit_image.succeeded");
    assertThat(last.get("timestamp").asString()).endsWith("Z");
    assertThat(last.at("/data/id").asString()).isEqualTo(id.toString());
    assertThat(last.at("/data/status").asString()).isEqualTo("succeeded");
    assertThat(last.at("/data/image_urls/0").asString()).contains("/k?");
    assertThat(
            jdbc.sql("SELECT count(*) FROM job_events WHERE job_id = ? AND published_at IS NULL")
                .param(id)
                .query(Long.class)
                .single())
        .isZero();
  }
}
