package io.retouch.api.auth;

import io.retouch.db.auth.Role;
import java.util.UUID;

/** Who is calling and on which dataset, after the key and the dataset headers were checked. */
public record AuthScope(UUID organizationId, UUID datasetId, UUID apiKeyId, Role role) {}
