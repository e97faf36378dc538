package io.retouch.testkit.services;

/** A Postgres database that belongs to this test run alone. */
public record PostgresService(String jdbcUrl, String username, String password) {}
