package io.retouch.worker.fetch;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Fetching URL inputs ({@code retouch.fetch.*}).
 *
 * @param allowPrivateNetworks allow loopback, private, link-local and other internal addresses
 *     (only for tests and closed networks: otherwise a URL input could reach internal services)
 * @param maxBytes largest accepted image
 * @param connectTimeout bound on connecting
 * @param timeout bound on the whole fetch of one URL: every redirect hop, headers and body
 * @param maxRedirects redirects followed, each re-checked against the address policy
 */
@ConfigurationProperties("retouch.fetch")
public record FetchProperties(
    Boolean allowPrivateNetworks,
    Long maxBytes,
    Duration connectTimeout,
    Duration timeout,
    Integer maxRedirects) {

  public FetchProperties {
    allowPrivateNetworks = allowPrivateNetworks != null && allowPrivateNetworks;
    maxBytes = maxBytes == null ? 50L * 1024 * 1024 : maxBytes;
    connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
    timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
    maxRedirects = maxRedirects == null ? 3 : maxRedirects;
  }
}
