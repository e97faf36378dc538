package io.retouch.db.webhook;

import io.retouch.common.webhook.SigningSecret;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The secrets of an endpoint (or of a dataset's per-job webhooks): the current one and, for 24
 * hours after a rotation, the one before it, which keeps signing alongside so receivers can switch
 * over.
 */
public record EndpointSecrets(
    SigningSecret current, Optional<SigningSecret> previous, Optional<Instant> previousExpiresAt) {

  /** How long the secret before a rotation keeps signing. */
  public static final Duration OVERLAP = Duration.ofHours(24);

  /** The secrets that sign a message sent at {@code now}, the current one first. */
  public List<SigningSecret> signing(Instant now) {
    List<SigningSecret> secrets = new ArrayList<>(2);
    secrets.add(current);
    if (previous.isPresent() && previousExpiresAt.map(now::isBefore).orElse(false)) {
      secrets.add(previous.get());
    }
    return secrets;
  }

  /** The previous secret while it still signs. */
  public Optional<SigningSecret> previousAt(Instant now) {
    return previousExpiresAt.filter(now::isBefore).flatMap(at -> previous);
  }
}
