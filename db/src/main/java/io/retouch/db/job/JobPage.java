package io.retouch.db.job;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One page of a keyset-paginated listing; {@code nextAfter} is the id to continue after. */
public record JobPage(List<JobRecord> jobs, Optional<UUID> nextAfter) {}
