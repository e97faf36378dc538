package io.retouch.api.webhooks;

import io.retouch.api.auth.AuthScope;
import io.retouch.api.auth.Caller;
import io.retouch.api.http.ApiException;
import io.retouch.api.http.Cursor;
import io.retouch.api.http.ErrorBody;
import io.retouch.common.edit.InvalidRequestException;
import io.retouch.common.net.AddressPolicy;
import io.retouch.common.webhook.WebhookProperties;
import io.retouch.db.auth.Role;
import io.retouch.db.webhook.DeliveryStatus;
import io.retouch.db.webhook.DeliveryStore;
import io.retouch.db.webhook.WebhookEndpoint;
import io.retouch.db.webhook.WebhookEndpointStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Webhook endpoints of the dataset of {@code TR-Dataset}, their secrets, delivery logs and replays.
 * Everything here takes an admin key; another dataset's endpoint or delivery is a 404.
 */
@Tag(name = "Webhooks", description = "Webhook endpoints of the dataset and their deliveries")
@RestController
@RequestMapping(path = "/api/webhooks", produces = MediaType.APPLICATION_JSON_VALUE)
public class WebhookController {

  private static final int MAX_PAGE = 100;

  private final WebhookEndpointStore endpoints;
  private final DeliveryStore deliveries;
  private final AddressPolicy policy;
  private final Clock clock;

  public WebhookController(
      WebhookEndpointStore endpoints,
      DeliveryStore deliveries,
      WebhookProperties props,
      Clock clock) {
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.policy = new AddressPolicy(props.allowPrivateNetworks());
    this.clock = clock;
  }

  /**
   * Registers an endpoint; the answer is the only one besides {@code GET …/secret} with its secret.
   */
  @Operation(
      summary = "Create a webhook endpoint",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(schema = @Schema(ref = "#/components/schemas/WebhookEndpointCreate"))),
      responses = {
        @ApiResponse(
            responseCode = "201",
            description = "Created; the answer shows its signing secret",
            headers = @Header(name = "Location", schema = @Schema(type = "string")),
            content = @Content(schema = @Schema(implementation = WebhookViews.EndpointView.class))),
        @ApiResponse(
            responseCode = "409",
            description = "The dataset has its maximum of 50 endpoints",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
      })
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<WebhookViews.EndpointView> create(
      @Caller(Role.ADMIN) AuthScope scope, @RequestBody JsonNode body) {
    WebhookEndpoint.Settings settings = EndpointBody.create(body, policy);
    WebhookEndpointStore.Created created;
    try {
      created = endpoints.create(scope.datasetId(), settings);
    } catch (WebhookEndpointStore.TooManyEndpoints e) {
      throw new ApiException(HttpStatus.CONFLICT, e.getMessage());
    }
    return ResponseEntity.created(URI.create("/api/webhooks/" + created.endpoint().id()))
        .body(WebhookViews.endpoint(created.endpoint(), created.secrets().current().text()));
  }

  @Operation(summary = "List webhook endpoints")
  @GetMapping
  public WebhookViews.EndpointList list(@Caller(Role.ADMIN) AuthScope scope) {
    return new WebhookViews.EndpointList(
        endpoints.list(scope.datasetId()).stream()
            .map(e -> WebhookViews.endpoint(e, null))
            .toList());
  }

  /** The secret of the dataset's per-job webhooks ({@code webhook} in a submission). */
  @Operation(summary = "The secret that signs per-job webhooks")
  @GetMapping("/default-secret")
  public WebhookViews.SecretView defaultSecret(@Caller(Role.ADMIN) AuthScope scope) {
    return WebhookViews.secrets(endpoints.defaultSecrets(scope.datasetId()), clock.instant());
  }

  @Operation(summary = "Rotate the per-job webhook secret (the old one signs 24 h more)")
  @PostMapping("/default-secret/rotate")
  public WebhookViews.SecretView rotateDefaultSecret(@Caller(Role.ADMIN) AuthScope scope) {
    return WebhookViews.secrets(endpoints.rotateDefault(scope.datasetId()), clock.instant());
  }

  @Operation(summary = "Get a webhook endpoint")
  @GetMapping("/{id}")
  public WebhookViews.EndpointView get(
      @Caller(Role.ADMIN) AuthScope scope, @PathVariable("id") String id) {
    return WebhookViews.endpoint(find(scope, id), null);
  }

  /** Changes the fields the body names; {@code "events": null} subscribes to every type. */
  @Operation(
      summary = "Change a webhook endpoint",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(schema = @Schema(ref = "#/components/schemas/WebhookEndpointUpdate"))))
  @PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
  public WebhookViews.EndpointView update(
      @Caller(Role.ADMIN) AuthScope scope,
      @PathVariable("id") String id,
      @RequestBody JsonNode body) {
    WebhookEndpoint current = find(scope, id);
    WebhookEndpoint.Settings settings = EndpointBody.patch(body, current.settings(), policy);
    return endpoints
        .update(scope.datasetId(), current.id(), settings)
        .map(e -> WebhookViews.endpoint(e, null))
        .orElseThrow(() -> notFound(id));
  }

  @Operation(
      summary = "Delete a webhook endpoint",
      responses = @ApiResponse(responseCode = "204", description = "Deleted"))
  @DeleteMapping("/{id}")
  public ResponseEntity<Void> delete(
      @Caller(Role.ADMIN) AuthScope scope, @PathVariable("id") String id) {
    if (!endpoints.delete(scope.datasetId(), endpointId(id))) {
      throw notFound(id);
    }
    return ResponseEntity.noContent().build();
  }

  @Operation(summary = "The endpoint's signing secret(s)")
  @GetMapping("/{id}/secret")
  public WebhookViews.SecretView secret(
      @Caller(Role.ADMIN) AuthScope scope, @PathVariable("id") String id) {
    return endpoints
        .secrets(scope.datasetId(), endpointId(id))
        .map(s -> WebhookViews.secrets(s, clock.instant()))
        .orElseThrow(() -> notFound(id));
  }

  /** A new secret; the old one keeps signing alongside it for 24 hours. */
  @Operation(summary = "Rotate the endpoint's secret (the old one signs 24 h more)")
  @PostMapping("/{id}/rotate-secret")
  public WebhookViews.SecretView rotateSecret(
      @Caller(Role.ADMIN) AuthScope scope, @PathVariable("id") String id) {
    return endpoints
        .rotate(scope.datasetId(), endpointId(id))
        .map(s -> WebhookViews.secrets(s, clock.instant()))
        .orElseThrow(() -> notFound(id));
  }

  /** The endpoint's deliveries, newest first, each with its attempts. */
  @Operation(summary = "The endpoint's delivery log, newest first")
  @GetMapping("/{id}/deliveries")
  public WebhookViews.DeliveryList deliveries(
      @Caller(Role.ADMIN) AuthScope scope,
      @PathVariable("id") String id,
      @RequestParam(name = "status", required = false) String status,
      @RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "cursor", required = false) String cursor) {
    WebhookEndpoint endpoint = find(scope, id);
    Optional<DeliveryStatus> filter =
        Optional.ofNullable(status)
            .map(
                s ->
                    DeliveryStatus.fromWireName(s)
                        .orElseThrow(
                            () ->
                                new InvalidRequestException(
                                    "status",
                                    "status must be one of "
                                        + Arrays.stream(DeliveryStatus.values())
                                            .map(DeliveryStatus::wireName)
                                            .collect(Collectors.joining(", ")))));
    int size = limit == null ? 20 : limit;
    if (size < 1 || size > MAX_PAGE) {
      throw new InvalidRequestException("limit", "limit must be between 1 and " + MAX_PAGE);
    }
    DeliveryStore.Page page =
        deliveries.page(
            scope.datasetId(), endpoint.id(), filter, Cursor.decodeNumber(cursor), size);
    return new WebhookViews.DeliveryList(
        page.deliveries().stream().map(WebhookViews::delivery).toList(),
        page.nextBefore().map(Cursor::encode).orElse(null));
  }

  /** Sends a delivery's event again now, as a new delivery with the same {@code webhook-id}. */
  @Operation(
      summary = "Send a delivery again",
      responses =
          @ApiResponse(
              responseCode = "202",
              description = "A new delivery of the same event is pending",
              content =
                  @Content(schema = @Schema(implementation = WebhookViews.DeliveryView.class))))
  @PostMapping("/deliveries/{deliveryId}/redeliver")
  public ResponseEntity<WebhookViews.DeliveryView> redeliver(
      @Caller(Role.ADMIN) AuthScope scope, @PathVariable("deliveryId") String deliveryId) {
    long id = deliveryId(deliveryId);
    return deliveries
        .redeliver(scope.datasetId(), id)
        .map(d -> ResponseEntity.status(HttpStatus.ACCEPTED).body(WebhookViews.delivery(d)))
        .orElseThrow(() -> ApiException.notFound("webhook delivery " + deliveryId + " not found"));
  }

  /**
   * Sends every event of {@code [since, until)} the endpoint receives to it again (same {@code
   * webhook-id}s, so receivers deduplicate). {@code until} defaults to now.
   */
  @Operation(
      summary = "Send the events of a time window again",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content = @Content(schema = @Schema(ref = "#/components/schemas/WebhookReplay"))),
      responses = {
        @ApiResponse(
            responseCode = "202",
            description = "One new delivery per event of the window the endpoint receives",
            content = @Content(schema = @Schema(implementation = WebhookViews.Replayed.class))),
        @ApiResponse(
            responseCode = "409",
            description = "The endpoint is turned off",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
      })
  @PostMapping(path = "/{id}/replay", consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<WebhookViews.Replayed> replay(
      @Caller(Role.ADMIN) AuthScope scope,
      @PathVariable("id") String id,
      @RequestBody JsonNode body) {
    WebhookEndpoint endpoint = find(scope, id);
    if (body == null || !body.isObject()) {
      throw new InvalidRequestException("body", "the request body must be a JSON object");
    }
    for (String name : body.propertyNames()) {
      if (!name.equals("since") && !name.equals("until")) {
        throw new InvalidRequestException(
            name, name + " is not a field of a replay; the fields are since, until");
      }
    }
    Instant now = clock.instant();
    Instant since =
        time(body.get("since"), "since")
            .orElseThrow(() -> new InvalidRequestException("since", "since is required"));
    Instant until = time(body.get("until"), "until").orElse(now);
    if (!since.isBefore(until)) {
      throw new InvalidRequestException("until", "until must be after since");
    }
    if (!endpoint.enabled()) {
      throw new ApiException(
          HttpStatus.CONFLICT,
          "webhook endpoint " + endpoint.id() + " is turned off; PATCH enabled: true first");
    }
    int written = deliveries.replay(scope.datasetId(), endpoint, since, until);
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(new WebhookViews.Replayed(endpoint.id(), since, until, written));
  }

  private static Optional<Instant> time(JsonNode value, String field) {
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isString()) {
      throw new InvalidRequestException(field, field + " must be an RFC 3339 time");
    }
    try {
      return Optional.of(OffsetDateTime.parse(value.stringValue()).toInstant());
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(
          field, field + " must be an RFC 3339 time such as 2026-12-01T10:00:00Z");
    }
  }

  private WebhookEndpoint find(AuthScope scope, String id) {
    return endpoints.find(scope.datasetId(), endpointId(id)).orElseThrow(() -> notFound(id));
  }

  private static UUID endpointId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw notFound(id);
    }
  }

  private static long deliveryId(String id) {
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw ApiException.notFound("webhook delivery " + id + " not found");
    }
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("webhook endpoint " + id + " not found");
  }
}
