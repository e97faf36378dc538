package io.retouch.api.http;

import io.swagger.v3.oas.annotations.media.Schema;

/** Trieve's error body: {@code {"message": "…"}}. */
@Schema(
    name = "ErrorResponseBody",
    requiredProperties = "message",
    example = "{\"message\":\"Bad Request\"}")
public record ErrorBody(String message) {}
