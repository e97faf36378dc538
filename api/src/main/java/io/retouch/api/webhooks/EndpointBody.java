package io.retouch.api.webhooks;

import io.retouch.common.edit.InvalidRequestException;
import io.retouch.common.edit.StorableText;
import io.retouch.common.event.EventType;
import io.retouch.common.net.AddressPolicy;
import io.retouch.common.validation.WebhookUrls;
import io.retouch.db.webhook.WebhookEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads the body of {@code POST /api/webhooks} and {@code PATCH /api/webhooks/{id}}: {@code url},
 * {@code events} (a list of types, or null for every type), {@code description}, {@code enabled}. A
 * field it does not know is a 400, so a misspelt {@code events} cannot silently subscribe an
 * endpoint to everything.
 */
final class EndpointBody {

  static final int MAX_DESCRIPTION_CHARS = 1000;
  private static final Set<String> FIELDS = Set.of("url", "events", "description", "enabled");

  private EndpointBody() {}

  /** A new endpoint's settings; {@code url} is required, the rest have defaults. */
  static WebhookEndpoint.Settings create(JsonNode body, AddressPolicy policy) {
    checkFields(body);
    if (!body.has("url") || body.get("url").isNull()) {
      throw new InvalidRequestException("url", "url is required");
    }
    return apply(
        body, new WebhookEndpoint.Settings(null, Optional.empty(), Optional.empty(), true), policy);
  }

  /** {@code current} with the fields the body names changed; a field sent as null is cleared. */
  static WebhookEndpoint.Settings patch(
      JsonNode body, WebhookEndpoint.Settings current, AddressPolicy policy) {
    checkFields(body);
    return apply(body, current, policy);
  }

  private static WebhookEndpoint.Settings apply(
      JsonNode body, WebhookEndpoint.Settings current, AddressPolicy policy) {
    String url = current.url();
    if (body.has("url")) {
      url = WebhookUrls.check(text(body.get("url"), "url"), "url", policy).toString();
    }
    Optional<Set<EventType>> events = current.events();
    if (body.has("events")) {
      events = events(body.get("events"));
    }
    Optional<String> description = current.description();
    if (body.has("description")) {
      JsonNode value = body.get("description");
      description = value.isNull() ? Optional.empty() : Optional.of(description(value));
    }
    boolean enabled = current.enabled();
    if (body.has("enabled")) {
      JsonNode value = body.get("enabled");
      if (!value.isBoolean()) {
        throw new InvalidRequestException("enabled", "enabled must be true or false");
      }
      enabled = value.booleanValue();
    }
    return new WebhookEndpoint.Settings(url, events, description, enabled);
  }

  private static void checkFields(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new InvalidRequestException("body", "the request body must be a JSON object");
    }
    for (String name : body.propertyNames()) {
      if (!FIELDS.contains(name)) {
        throw new InvalidRequestException(
            name,
            name
                + " is not a field of a webhook endpoint; the fields are "
                + String.join(", ", List.of("url", "events", "description", "enabled")));
      }
    }
  }

  private static Optional<Set<EventType>> events(JsonNode value) {
    if (value.isNull()) {
      return Optional.empty();
    }
    if (!value.isArray()) {
      throw new InvalidRequestException(
          "events", "events must be a list of event types, or null for every type");
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      names.add(item.isString() ? item.stringValue() : null);
    }
    return Optional.of(WebhookUrls.eventTypes(names, "events"));
  }

  private static String description(JsonNode value) {
    String text = text(value, "description");
    if (text.length() > MAX_DESCRIPTION_CHARS) {
      throw new InvalidRequestException(
          "description", "description must be at most " + MAX_DESCRIPTION_CHARS + " characters");
    }
    return text;
  }

  private static String text(JsonNode value, String field) {
    if (!value.isString()) {
      throw new InvalidRequestException(field, field + " must be a string");
    }
    String text = value.stringValue();
    StorableText.problem(text)
        .ifPresent(
            problem -> {
              throw new InvalidRequestException(field, field + " " + problem);
            });
    return text;
  }
}
