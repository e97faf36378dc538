package io.retouch.api.events;

import io.retouch.api.ApiProperties;
import io.retouch.api.auth.AuthScope;
import io.retouch.api.auth.Caller;
import io.retouch.api.http.ApiException;
import io.retouch.common.edit.InvalidRequestException;
import io.retouch.common.event.EventType;
import io.retouch.db.auth.Role;
import io.retouch.db.job.JobStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events: one job's events (the stream ends after its terminal event) or every event of
 * the dataset. Each message's {@code id:} is the event id and {@code event:} its type; a client
 * that reconnects with {@code Last-Event-ID} gets everything after it. Same auth as the job GET.
 */
@Tag(name = "Events", description = "Server-Sent Events of jobs")
@RestController
@RequestMapping(path = "/api/message/edit_image", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
public class EventStreamController {

  private final EventStreams streams;
  private final JobStore jobs;
  private final ApiProperties props;

  public EventStreamController(EventStreams streams, JobStore jobs, ApiProperties props) {
    this.streams = streams;
    this.jobs = jobs;
    this.props = props;
  }

  /** A job's events from its first (or after {@code Last-Event-ID}) to its terminal one. */
  @Operation(
      summary = "Stream a job's events",
      description = "From its first event (or after Last-Event-ID) to its terminal one",
      responses =
          @ApiResponse(
              responseCode = "200",
              description =
                  "text/event-stream: id (the event id), event (its type) and data (the event"
                      + " JSON: id, type, timestamp, data = the job); comments keep it alive",
              content =
                  @Content(
                      mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                      schema = @Schema(type = "string"))))
  @GetMapping("/{id}/events")
  public SseEmitter job(
      @Caller(Role.READ) AuthScope scope,
      @PathVariable("id") String id,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
    UUID jobId = jobId(id);
    if (jobs.find(scope.datasetId(), jobId).isEmpty()) {
      throw ApiException.notFound("job " + jobId + " not found");
    }
    long after = LastEventId.parse(lastEventId).orElse(0);
    return streams.open(
        scope.datasetId(), Optional.of(jobId), Set.of(), after, props.eventStreamTimeout());
  }

  /** The dataset's events from now on (or after {@code Last-Event-ID}), of the given types. */
  @Operation(
      summary = "Stream the dataset's events",
      description =
          "From now on (or after Last-Event-ID), of the types asked for (comma-separated; all"
              + " without types)",
      responses =
          @ApiResponse(
              responseCode = "200",
              description =
                  "text/event-stream: id (the event id), event (its type) and data (the event"
                      + " JSON: id, type, timestamp, data = the job); comments keep it alive",
              content =
                  @Content(
                      mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                      schema = @Schema(type = "string"))))
  @GetMapping("/events")
  public SseEmitter dataset(
      @Caller(Role.READ) AuthScope scope,
      @RequestParam(name = "types", required = false) String types,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
    Set<EventType> wanted = types(types);
    long after = LastEventId.parse(lastEventId).orElseGet(() -> streams.latest(scope.datasetId()));
    return streams.open(
        scope.datasetId(), Optional.empty(), wanted, after, props.eventStreamTimeout());
  }

  static Set<EventType> types(String types) {
    if (types == null || types.isBlank()) {
      return Set.of();
    }
    Set<EventType> wanted = EnumSet.noneOf(EventType.class);
    for (String name : types.split(",")) {
      wanted.add(
          EventType.fromWireName(name.strip())
              .orElseThrow(
                  () ->
                      new InvalidRequestException(
                          "types",
                          "types must be a comma-separated list of "
                              + Arrays.stream(EventType.values())
                                  .map(EventType::wireName)
                                  .collect(Collectors.joining(", ")))));
    }
    return wanted;
  }

  private static UUID jobId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("job " + id + " not found");
    }
  }
}
