package io.retouch.api.jobs;

import io.retouch.api.ApiProperties;
import io.retouch.api.auth.AuthScope;
import io.retouch.api.auth.Caller;
import io.retouch.api.http.ApiException;
import io.retouch.api.http.Cursor;
import io.retouch.api.http.ErrorBody;
import io.retouch.api.intake.BodyBudget;
import io.retouch.api.intake.EditIntake;
import io.retouch.api.intake.EditRequestReader;
import io.retouch.api.intake.ReceivedRequest;
import io.retouch.api.waiting.JobWaiters;
import io.retouch.common.edit.InvalidRequestException;
import io.retouch.common.job.ErrorCode;
import io.retouch.common.job.JobStatus;
import io.retouch.common.validation.EditRequestValidator;
import io.retouch.db.auth.Role;
import io.retouch.db.event.JobView;
import io.retouch.db.event.JobViews;
import io.retouch.db.job.IdempotencyKey;
import io.retouch.db.job.JobPage;
import io.retouch.db.job.JobRecord;
import io.retouch.db.job.JobStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Trieve's {@code POST /api/message/edit_image}, run as a job, and the job resource around it.
 * Without preferences a submission waits for its job (up to {@code retouch.api.sync-wait}) and
 * answers as Trieve does; {@code Prefer: respond-async} answers 202 at once.
 */
@Tag(name = "Message", description = "Trieve's edit_image, run as a job")
@RestController
@RequestMapping(path = "/api/message/edit_image", produces = MediaType.APPLICATION_JSON_VALUE)
public class EditImageController {

  static final String QUERY_ID = "TR-QueryID";
  private static final int MAX_PAGE = 100;
  private static final Logger log = LoggerFactory.getLogger(EditImageController.class);

  private final EditRequestReader reader;
  private final EditRequestValidator validator;
  private final EditIntake intake;
  private final JobStore jobs;
  private final JobWaiters waiters;
  private final JobViews responses;
  private final ApiProperties props;
  private final BodyBudget budget;

  public EditImageController(
      EditRequestValidator validator,
      BodyBudget budget,
      EditRequestReader reader,
      EditIntake intake,
      JobStore jobs,
      JobWaiters waiters,
      JobViews responses,
      ApiProperties props) {
    this.reader = reader;
    this.intake = intake;
    this.jobs = jobs;
    this.waiters = waiters;
    this.responses = responses;
    this.props = props;
    this.budget = budget;
    this.validator = validator;
  }

  /** Trieve's answer in the synchronous mode: the result URLs. */
  @Schema(name = "ImageEditResponse", requiredProperties = "image_urls")
  public record ImageUrls(
      @Schema(description = "Presigned URLs of the results, valid for retouch.api.url-ttl")
          List<String> imageUrls) {}

  /** One page of jobs; {@code next_cursor} is null on the last page. */
  public record JobList(List<JobView> jobs, String nextCursor) {}

  @Operation(
      operationId = "edit_image",
      summary = "Edit Image",
      description =
          "Edits the images with the prompt as a job. Without preferences the request waits for"
              + " the job (up to retouch.api.sync-wait) and answers as Trieve does: 200 with"
              + " image_urls; a job still running then is a 202 with the job to poll.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              description = "JSON request payload to edit an image",
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON_VALUE,
                      schema = @Schema(ref = "#/components/schemas/EditImageReqPayload"))),
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "The job succeeded: the results' URLs",
            headers =
                @Header(
                    name = QUERY_ID,
                    description = "The job id",
                    schema = @Schema(type = "string", format = "uuid")),
            content = @Content(schema = @Schema(implementation = ImageUrls.class))),
        @ApiResponse(
            responseCode = "202",
            description =
                "Accepted and not finished: Prefer respond-async, or the wait ran out; poll"
                    + " Location",
            headers = {
              @Header(
                  name = "Location",
                  description = "The job",
                  schema = @Schema(type = "string")),
              @Header(
                  name = QUERY_ID,
                  description = "The job id",
                  schema = @Schema(type = "string", format = "uuid")),
              @Header(
                  name = "Preference-Applied",
                  description = "respond-async, or wait=N",
                  schema = @Schema(type = "string"))
            },
            content = @Content(schema = @Schema(implementation = JobView.class))),
        @ApiResponse(
            responseCode = "400",
            description =
                "The request is invalid (the message names the field and, for capabilities, the"
                    + " model); in the synchronous mode also a job that failed because of its"
                    + " input",
            content = @Content(schema = @Schema(implementation = ErrorBody.class))),
        @ApiResponse(
            responseCode = "408",
            description = "The body arrived too slowly (retouch.api.body-read-timeout)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class))),
        @ApiResponse(
            responseCode = "409",
            description = "Synchronous mode: the job was canceled before it finished",
            content = @Content(schema = @Schema(implementation = ErrorBody.class))),
        @ApiResponse(
            responseCode = "413",
            description = "The body is over retouch.api.max-body-bytes",
            content = @Content(schema = @Schema(implementation = ErrorBody.class))),
        @ApiResponse(
            responseCode = "415",
            description = "The body is not application/json",
            content = @Content(schema = @Schema(implementation = ErrorBody.class))),
        @ApiResponse(
            responseCode = "422",
            description = "The Idempotency-Key was used for a different request",
            content = @Content(schema = @Schema(implementation = ErrorBody.class))),
        @ApiResponse(
            responseCode = "502",
            description = "Synchronous mode: the job failed upstream (OpenAI, storage)",
            content = @Content(schema = @Schema(implementation = ErrorBody.class))),
        @ApiResponse(
            responseCode = "503",
            description =
                "A dependency is down or the API is at its body budget; nothing was stored, retry"
                    + " after Retry-After",
            headers = @Header(name = "Retry-After", schema = @Schema(type = "integer")),
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
      })
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<?> submit(
      @Caller(Role.ADMIN) AuthScope scope,
      @Parameter(
              description =
                  "RFC 7240: respond-async answers 202 at once; wait=N waits at most N seconds")
          @RequestHeader(name = "Prefer", required = false)
          List<String> preferHeaders,
      @Parameter(
              description =
                  "Makes retries safe: the same key and request within 24 h return the same job")
          @RequestHeader(name = "Idempotency-Key", required = false)
          String idempotencyKey,
      HttpServletRequest request)
      throws IOException {
    Optional<String> key = IdempotencyKeys.validate(idempotencyKey);
    Prefer prefer = Prefer.parse(preferHeaders);
    JobRecord job = accept(scope, key, request);
    if (prefer.respondAsync()) {
      return accepted(job, "respond-async");
    }
    Duration wait = boundedWait(prefer);
    job = awaitAccepted(scope, job, wait);
    return switch (job.status()) {
      case SUCCEEDED ->
          ResponseEntity.ok()
              .header(QUERY_ID, job.id().toString())
              .body(new ImageUrls(responses.imageUrls(job)));
      case FAILED -> failed(job);
      case CANCELED ->
          ResponseEntity.status(HttpStatus.CONFLICT)
              .header(QUERY_ID, job.id().toString())
              .body(new ErrorBody("job " + job.id() + " was canceled before it finished"));
      case QUEUED, PROCESSING ->
          accepted(job, prefer.waitFor().isPresent() ? "wait=" + wait.toSeconds() : null);
    };
  }

  /**
   * Reads, checks and records a submission while it holds its share of the {@link BodyBudget}. Its
   * decoded images (in memory or temp files) are deleted once this returns, however it returns, so
   * a request that then waits for its job holds no image bytes.
   */
  private JobRecord accept(AuthScope scope, Optional<String> key, HttpServletRequest request)
      throws IOException {
    try (BodyBudget.Permit permit = budget.admit(request.getContentLengthLong());
        ReceivedRequest body =
            reader.read(request.getInputStream(), request.getContentLengthLong(), permit)) {
      var edit = validator.validate(body.body());
      return intake.submit(
          scope, edit, key.map(k -> new IdempotencyKey(k, reader.fingerprint(body))));
    }
  }

  /**
   * Waits for a job this request just committed. A database outage from here on must not become a
   * 503, whose "nothing was changed" would invite a second submission: the client gets the job as
   * accepted (202 with its Location) and polls it.
   */
  private JobRecord awaitAccepted(AuthScope scope, JobRecord accepted, Duration wait) {
    try {
      waiters.awaitTerminal(accepted.id(), wait);
      // finished or not, the answer shows the job as it is now (a 202 says "processing" once a
      // worker has it), not as it was accepted
      return jobs.find(scope.datasetId(), accepted.id()).orElse(accepted);
    } catch (DataAccessException | TransactionException e) {
      log.warn(
          "job {} was accepted but the database failed while waiting for it: {}",
          accepted.id(),
          e.getMessage());
      return accepted;
    }
  }

  @Operation(
      summary = "Get a job",
      description =
          "The job; with Prefer wait=N the answer waits until it finishes or N seconds pass",
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "The job",
              headers = {
                @Header(
                    name = QUERY_ID,
                    description = "The job id",
                    schema = @Schema(type = "string", format = "uuid")),
                @Header(
                    name = "Preference-Applied",
                    description = "wait=N, as applied",
                    schema = @Schema(type = "string"))
              },
              content = @Content(schema = @Schema(implementation = JobView.class))))
  @GetMapping("/{id}")
  public ResponseEntity<JobView> get(
      @Caller(Role.READ) AuthScope scope,
      @PathVariable("id") String id,
      @RequestHeader(name = "Prefer", required = false) List<String> preferHeaders) {
    UUID jobId = jobId(id);
    JobRecord job = find(scope, jobId);
    Prefer prefer = Prefer.parse(preferHeaders);
    Duration wait = boundedWait(prefer);
    if (prefer.waitFor().isPresent() && !job.status().isTerminal()) {
      waiters.awaitTerminal(jobId, wait);
      job = find(scope, jobId);
    }
    var response = ResponseEntity.ok().header(QUERY_ID, job.id().toString());
    if (prefer.waitFor().isPresent()) {
      // RFC 7240: what was applied, which sync-wait may have cut short
      response.header("Preference-Applied", "wait=" + wait.toSeconds());
    }
    return response.body(responses.of(job));
  }

  /**
   * Cancels a job: a queued one at once (200), a processing one when its worker next checks (202);
   * again on a canceled job is 200; a job that already finished is 409.
   */
  @Operation(
      summary = "Cancel a job",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "Canceled (also when it already was)",
            content = @Content(schema = @Schema(implementation = JobView.class))),
        @ApiResponse(
            responseCode = "202",
            description = "Processing: canceled when its worker next checks",
            content = @Content(schema = @Schema(implementation = JobView.class))),
        @ApiResponse(
            responseCode = "409",
            description = "The job already succeeded or failed",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
      })
  @PostMapping("/{id}/cancel")
  public ResponseEntity<?> cancel(
      @Caller(Role.ADMIN) AuthScope scope, @PathVariable("id") String id) {
    UUID jobId = jobId(id);
    JobStatus after =
        jobs.requestCancel(scope.datasetId(), jobId)
            .orElseThrow(() -> ApiException.notFound("job " + jobId + " not found"));
    JobRecord job = find(scope, jobId);
    return switch (after) {
      case CANCELED -> ResponseEntity.ok().header(QUERY_ID, id).body(responses.of(job));
      case QUEUED, PROCESSING ->
          ResponseEntity.status(HttpStatus.ACCEPTED).header(QUERY_ID, id).body(responses.of(job));
      case SUCCEEDED, FAILED ->
          ResponseEntity.status(HttpStatus.CONFLICT)
              .header(QUERY_ID, id)
              .body(
                  new ErrorBody(
                      "job %s already %s; only queued or processing jobs can be canceled"
                          .formatted(jobId, after.wireName())));
    };
  }

  @Operation(
      summary = "List jobs",
      description = "Newest first; pass next_cursor as cursor for the next page")
  @GetMapping
  public JobList list(
      @Caller(Role.READ) AuthScope scope,
      @RequestParam(name = "status", required = false) String status,
      @RequestParam(name = "limit", required = false) Integer limit,
      @RequestParam(name = "cursor", required = false) String cursor) {
    Optional<JobStatus> filter =
        Optional.ofNullable(status)
            .map(
                s ->
                    JobStatus.fromWireName(s)
                        .orElseThrow(
                            () ->
                                new InvalidRequestException(
                                    "status",
                                    "status must be one of queued, processing, succeeded, failed,"
                                        + " canceled")));
    int size = limit == null ? 20 : limit;
    if (size < 1 || size > MAX_PAGE) {
      throw new InvalidRequestException("limit", "limit must be between 1 and " + MAX_PAGE);
    }
    JobPage page = jobs.list(scope.datasetId(), filter, size, Cursor.decode(cursor));
    return new JobList(
        page.jobs().stream().map(responses::of).toList(),
        page.nextAfter().map(Cursor::encode).orElse(null));
  }

  private ResponseEntity<JobView> accepted(JobRecord job, String preferenceApplied) {
    var response =
        ResponseEntity.status(HttpStatus.ACCEPTED)
            .location(URI.create("/api/message/edit_image/" + job.id()))
            .header(QUERY_ID, job.id().toString());
    if (preferenceApplied != null) {
      response.header("Preference-Applied", preferenceApplied);
    }
    return response.body(responses.of(job));
  }

  /**
   * A failed job in the synchronous mode: 400 when the request caused it (the model refused the
   * content, an input was unusable), 502 when the upstream or the service did.
   */
  private static ResponseEntity<ErrorBody> failed(JobRecord job) {
    boolean clientFault =
        job.errorCode()
            .flatMap(ErrorCode::fromWireName)
            .map(ErrorCode::causedByRequest)
            .orElse(false);
    String message =
        "the edit failed (%s): %s"
            .formatted(job.errorCode().orElse("unknown"), job.errorMessage().orElse("no details"));
    return ResponseEntity.status(clientFault ? HttpStatus.BAD_REQUEST : HttpStatus.BAD_GATEWAY)
        .header(QUERY_ID, job.id().toString())
        .body(new ErrorBody(message));
  }

  private Duration boundedWait(Prefer prefer) {
    Duration wait = prefer.waitFor().orElse(props.syncWait());
    return wait.compareTo(props.syncWait()) > 0 ? props.syncWait() : wait;
  }

  private JobRecord find(AuthScope scope, UUID jobId) {
    // A job of another dataset is "not found", never "forbidden".
    return jobs.find(scope.datasetId(), jobId)
        .orElseThrow(() -> ApiException.notFound("job " + jobId + " not found"));
  }

  private static UUID jobId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("job " + id + " not found");
    }
  }
}
