package io.retouch.db;

import io.retouch.testkit.services.TestServices;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Base of db tests: real Postgres (Flyway applied) and RabbitMQ from the test resolver. */
@SpringBootTest(
    classes = DbTestApplication.class,
    properties = {
      "retouch.outbox.enabled=false",
      "spring.rabbitmq.publisher-confirm-type=simple",
      "retouch.amqp.delivery-limit=2",
      "retouch.amqp.dead-letter-max-length=2"
    })
public abstract class DbIntegrationTest {

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    TestServices.get().springProperties().forEach((k, v) -> registry.add(k, () -> v));
  }
}
