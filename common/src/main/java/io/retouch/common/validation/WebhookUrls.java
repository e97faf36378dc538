package io.retouch.common.validation;

import io.retouch.common.edit.InvalidRequestException;
import io.retouch.common.event.EventType;
import io.retouch.common.net.AddressPolicy;
import java.net.URI;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules of webhook targets and their event filters, for endpoints and per-job webhooks alike:
 * an {@link HttpUrls http URL} whose host, when it is an address, the delivery policy allows, and a
 * non-empty list of known event types.
 */
public final class WebhookUrls {

  private static final String KNOWN =
      Arrays.stream(EventType.values()).map(EventType::wireName).collect(Collectors.joining(", "));

  private WebhookUrls() {}

  /**
   * @throws InvalidRequestException when the URL breaks a rule or names a refused address
   */
  public static URI check(String value, String field, AddressPolicy policy) {
    URI url = HttpUrls.parse(value, field);
    policy
        .literalRefusal(url.getHost())
        .ifPresent(
            why -> {
              throw new InvalidRequestException(
                  field,
                  "%s: %s is a %s; webhooks go to public addresses only (%s)"
                      .formatted(
                          field,
                          url.getHost(),
                          why,
                          "retouch.webhooks.allow-private-networks allows others"));
            });
    return url;
  }

  /**
   * @throws InvalidRequestException for an empty list or an unknown type
   */
  public static Set<EventType> eventTypes(List<String> names, String field) {
    if (names.isEmpty()) {
      throw new InvalidRequestException(
          field, field + " must name at least one event type; leave it out for the default");
    }
    Set<EventType> types = EnumSet.noneOf(EventType.class);
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      String at = field + "[" + i + "]";
      types.add(
          EventType.fromWireName(name)
              .orElseThrow(
                  () ->
                      new InvalidRequestException(
                          at, at + " is not an event type; the types are " + KNOWN)));
    }
    return types;
  }
}
