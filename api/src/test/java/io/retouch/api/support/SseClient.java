package io.retouch.api.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

/** A Server-Sent Events client (OkHttp's): the events of one connection, as they arrive. */
public final class SseClient implements AutoCloseable {

  private static final OkHttpClient HTTP =
      new OkHttpClient.Builder().readTimeout(Duration.ofMinutes(2)).build();

  /** One event as received: the {@code id:}, {@code event:} and {@code data:} fields. */
  public record Received(String id, String type, String data) {}

  private final BlockingQueue<Received> events = new LinkedBlockingQueue<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final EventSource source;
  private volatile Response failure;
  private volatile int status;

  private SseClient(Request request) {
    source =
        EventSources.createFactory(HTTP)
            .newEventSource(
                request,
                new EventSourceListener() {
                  @Override
                  public void onOpen(EventSource source, Response response) {
                    status = response.code();
                  }

                  @Override
                  public void onEvent(EventSource source, String id, String type, String data) {
                    events.add(new Received(id, type, data));
                  }

                  @Override
                  public void onClosed(EventSource source) {
                    ended.countDown();
                  }

                  @Override
                  public void onFailure(EventSource source, Throwable t, Response response) {
                    failure = response;
                    if (response != null) {
                      status = response.code();
                    }
                    ended.countDown();
                  }
                });
  }

  /** Connects; {@code headers} are name, value pairs (Last-Event-ID, say). */
  public static SseClient connect(String url, String... headers) {
    Request.Builder request = new Request.Builder().url(url).header("Accept", "text/event-stream");
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return new SseClient(request.build());
  }

  /** The next event, waiting up to {@code timeout}; fails when none came. */
  public Received next(Duration timeout) throws InterruptedException {
    Received event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (event == null) {
      throw new AssertionError("no event within " + timeout);
    }
    return event;
  }

  /** The next {@code count} events. */
  public List<Received> next(int count, Duration timeout) throws InterruptedException {
    List<Received> received = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      received.add(next(timeout));
    }
    return received;
  }

  /** Whether the server ended the stream within {@code timeout}. */
  public boolean awaitEnd(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public int status() {
    return status;
  }

  /** Events received and not taken yet. */
  public List<Received> drained() {
    List<Received> rest = new ArrayList<>();
    events.drainTo(rest);
    return rest;
  }

  @Override
  public void close() {
    source.cancel();
  }
}
