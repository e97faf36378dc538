package io.retouch.testkit.services;

/**
 * A RabbitMQ broker plus the name prefix that keeps this run's queues and exchanges apart from
 * every other run's.
 */
public record RabbitService(
    String host, int port, String username, String password, String virtualHost, String prefix) {}
