package io.retouch.worker.fetch;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a size limit. Past the limit it stops reading (the client then
 * drops the connection) and completes empty, as does a body not wanted at all ({@link
 * #discarded()}).
 */
final class CappedBody implements HttpResponse.BodySubscriber<Optional<byte[]>> {

  private final long maxBytes;
  private final CompletableFuture<Optional<byte[]>> result = new CompletableFuture<>();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private Flow.Subscription subscription;
  private long received;

  CappedBody(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** A body not read at all: redirects, error answers, declared lengths over the limit. */
  static CappedBody discarded() {
    return new CappedBody(-1);
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    if (maxBytes < 0) {
      stop();
    } else {
      subscription.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return; // items already on their way when the subscription was cancelled
    }
    for (ByteBuffer buffer : buffers) {
      received += buffer.remaining();
      if (received > maxBytes) {
        stop();
        return;
      }
      byte[] chunk = new byte[buffer.remaining()];
      buffer.get(chunk);
      bytes.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    result.complete(Optional.of(bytes.toByteArray()));
  }

  @Override
  public CompletionStage<Optional<byte[]>> getBody() {
    return result;
  }

  private void stop() {
    subscription.cancel();
    result.complete(Optional.empty());
  }
}
