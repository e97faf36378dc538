package io.retouch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.Color;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Messages nobody can process: a malformed one is dead-lettered without stopping the consumer, and
 * a job whose message the broker dead-lettered (TopologyTest shows the broker does so past the
 * delivery limit) is failed with poison_message by the worker that reads the dead-letter feed.
 */
class PoisonEndToEndIT {

  @Test
  void malformed_messages_are_dead_lettered_and_a_dead_lettered_job_fails_with_a_clear_code()
      throws Exception {
    Stack stack = Stack.get();
    stack.stopWorkers();
    UUID queued =
        UUID.fromString(
            stack
                .api
                .submit(Load.body("never processed"), "Prefer", "respond-async")
                .json()
                .get("id")
                .asString());
    var topology = Broker.topology();
    long parkedBefore = Broker.depth(topology.deadQueue());
    // What the broker does with a message past its delivery limit: it leaves the work queue and
    // goes to the dead-letter exchange.
    await().atMost(Duration.ofSeconds(30)).until(() -> Broker.depth(topology.editQueue()) >= 1);
    Broker.purge(topology.editQueue());
    Broker.publish(topology.deadLetterExchange(), "", List.of(Broker.jobMessage(queued)));
    Broker.publish(List.of("this is not JSON", "{\"job_id\":\"" + UUID.randomUUID() + "\"}"));

    stack.useWorker(Map.of());

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                "failed"
                    .equals(Database.single("SELECT status FROM edit_jobs WHERE id = ?", queued)));
    var job =
        Database.query("SELECT error_code, error_message FROM edit_jobs WHERE id = ?", queued)
            .getFirst();
    assertThat(job.get(0)).isEqualTo("poison_message");
    assertThat((String) job.get(1)).contains("dead-lettered");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Broker.depth(topology.deadQueue()) >= parkedBefore + 3);
    assertThat(stack.worker().countInLog("dead-lettering a malformed job message")).isEqualTo(1);

    ApiClient.Answer after =
        stack.api.submit(
            "{\"input_images\":[%s],\"prompt\":\"still working\"}"
                .formatted(TestImages.inline("in.png", TestImages.png(32, 32, Color.GREEN))));
    assertThat(after.status()).as("the consumer survived the poison").isEqualTo(200);
  }
}
