package io.retouch.db.webhook;

import java.util.Optional;
import java.util.UUID;

/**
 * A delivery a dispatcher claimed: what to send where, signed with which secrets.
 *
 * @param lease the claim's token; {@link DeliveryStore#finish} only counts for the holder
 * @param endpointId empty for a job's own webhook
 * @param url where it goes now (an endpoint's current URL)
 * @param attemptsMade attempts before this one
 * @param targetEnabled false when the endpoint was turned off since the delivery was written
 */
public record DueDelivery(
    long id,
    String lease,
    long eventId,
    UUID jobId,
    UUID datasetId,
    Optional<UUID> endpointId,
    String url,
    int attemptsMade,
    boolean targetEnabled,
    EndpointSecrets secrets) {}
