package io.retouch.api.bootstrap;

import java.util.UUID;

/** What bootstrap created; {@code apiKey} is the only copy of the key in clear. */
public record Installation(UUID organizationId, UUID datasetId, String apiKey) {}
