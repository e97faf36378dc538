package io.retouch.api.http;

/** Trieve's error body: {@code {"message": "…"}}. */
public record ErrorBody(String message) {}
