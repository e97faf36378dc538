package io.retouch.testkit.services;

import com.rabbitmq.client.ConnectionFactory;

/**
 * A RabbitMQ broker plus the name prefix that keeps this run's queues and exchanges apart from
 * every other run's.
 */
public record RabbitService(
    String host, int port, String username, String password, String virtualHost, String prefix) {

  /** A client connection factory for this broker, for tests that talk to it directly. */
  public ConnectionFactory connectionFactory() {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(host);
    factory.setPort(port);
    factory.setUsername(username);
    factory.setPassword(password);
    factory.setVirtualHost(virtualHost);
    return factory;
  }
}
