package io.retouch.api.webhooks;

import io.retouch.api.auth.AuthScope;
import io.retouch.api.auth.Caller;
import io.retouch.api.http.ApiException;
import io.retouch.db.auth.Role;
import io.retouch.db.job.JobStore;
import io.retouch.db.webhook.DeliveryStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The delivery log of a job's own webhook ({@code webhook} in its submission), with the same views
 * and rights as an endpoint's log.
 */
@Tag(name = "Webhooks")
@RestController
@RequestMapping(path = "/api/message/edit_image", produces = MediaType.APPLICATION_JSON_VALUE)
public class JobWebhookController {

  private final JobStore jobs;
  private final DeliveryStore deliveries;

  public JobWebhookController(JobStore jobs, DeliveryStore deliveries) {
    this.jobs = jobs;
    this.deliveries = deliveries;
  }

  /** Every delivery to the job's own webhook, oldest first, each with its attempts. */
  @Operation(summary = "The deliveries of a job's events, to every endpoint and its own webhook")
  @GetMapping("/{id}/webhook-deliveries")
  public WebhookViews.DeliveryList deliveries(
      @Caller(Role.ADMIN) AuthScope scope, @PathVariable("id") String id) {
    UUID jobId;
    try {
      jobId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("job " + id + " not found");
    }
    if (jobs.find(scope.datasetId(), jobId).isEmpty()) {
      throw ApiException.notFound("job " + jobId + " not found");
    }
    return new WebhookViews.DeliveryList(
        deliveries.ofJob(scope.datasetId(), jobId).stream().map(WebhookViews::delivery).toList(),
        null);
  }
}
