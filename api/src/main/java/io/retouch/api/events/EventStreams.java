package io.retouch.api.events;

import io.retouch.common.event.EventType;
import io.retouch.db.event.EventJson;
import io.retouch.db.event.EventRenderer;
import io.retouch.db.event.JobEvent;
import io.retouch.db.event.JobEventStore;
import io.retouch.db.notify.JobNotifications;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Open Server-Sent Event streams, fed from {@code job_events}. A stream is written only when a
 * commit notification of its dataset arrives (and, with a keep-alive comment, every {@code
 * retouch.api.event-keep-alive}): it then reads the events after the last one it sent, so a
 * reconnect with {@code Last-Event-ID} resumes without gaps or repeats. Streams are asynchronous
 * responses: no thread waits on one, and no stream polls the database on its own, except briefly
 * while an event it was told of is not readable yet (its transaction overtook an older one still
 * open).
 */
public final class EventStreams implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(EventStreams.class);
  private static final Duration BEHIND_RETRY = Duration.ofMillis(200);
  private static final int PAGE = 100;

  private final JobEventStore events;
  private final EventRenderer renderer;
  private final Duration keepAlive;
  private final Map<UUID, Set<Stream>> byDataset = new ConcurrentHashMap<>();
  private ScheduledExecutorService scheduler;
  private volatile boolean running;

  public EventStreams(JobEventStore events, EventRenderer renderer, Duration keepAlive) {
    this.events = events;
    this.renderer = renderer;
    this.keepAlive = keepAlive;
  }

  /**
   * Opens a stream of a dataset's events after {@code afterId}.
   *
   * @param jobId one job only, ending after its terminal event; empty for the whole dataset
   * @param types the event types sent; empty for all
   */
  public SseEmitter open(
      UUID datasetId, Optional<UUID> jobId, Set<EventType> types, long afterId, Duration timeout) {
    SseEmitter emitter = new SseEmitter(timeout.toMillis());
    Stream stream = new Stream(datasetId, jobId, types, afterId, emitter);
    emitter.onCompletion(() -> remove(stream));
    emitter.onTimeout(() -> remove(stream));
    emitter.onError(e -> remove(stream));
    byDataset.computeIfAbsent(datasetId, id -> ConcurrentHashMap.newKeySet()).add(stream);
    pump(stream);
    return emitter;
  }

  /** Where a new stream of the whole dataset starts: after the last event readable now. */
  public long latest(UUID datasetId) {
    return events.latest(datasetId);
  }

  /** A commit notification: the streams of its dataset read what is new. */
  public void onStatusChange(JobNotifications.StatusChange change) {
    for (Stream stream : byDataset.getOrDefault(change.datasetId(), Set.of())) {
      if (stream.jobId.isEmpty() || stream.jobId.get().equals(change.jobId())) {
        stream.wanted = Math.max(stream.wanted, change.eventId());
      }
      pump(stream);
    }
  }

  /** After the listener reconnected (notifications were lost): every stream reads. */
  public void wakeAll() {
    byDataset.values().forEach(streams -> streams.forEach(this::pump));
  }

  public int size() {
    return byDataset.values().stream().mapToInt(Set::size).sum();
  }

  private void pump(Stream stream) {
    if (!stream.pumping.compareAndSet(false, true)) {
      stream.again = true;
      return;
    }
    Thread.ofVirtual()
        .name("event-stream")
        .start(
            () -> {
              try {
                do {
                  stream.again = false;
                  drain(stream);
                } while (stream.again && !stream.closed);
              } finally {
                stream.pumping.set(false);
              }
              if (stream.again && !stream.closed) {
                pump(stream);
              } else if (!stream.closed && stream.lastId < stream.wanted && running) {
                // told of an event that is not readable yet: look again shortly
                scheduler.schedule(
                    () -> pump(stream), BEHIND_RETRY.toMillis(), TimeUnit.MILLISECONDS);
              }
            });
  }

  private void drain(Stream stream) {
    try {
      while (!stream.closed) {
        // unfiltered, so that the last id passes events of types the stream does not send
        List<JobEvent> page =
            events.after(stream.datasetId, stream.jobId, stream.lastId, Set.of(), PAGE);
        for (JobEvent event : page) {
          if (stream.types.isEmpty() || stream.types.contains(event.type())) {
            send(stream, event);
          }
          stream.lastId = event.id();
          if (stream.jobId.isPresent() && event.type().isTerminal()) {
            close(stream);
            return;
          }
        }
        if (page.size() < PAGE) {
          return;
        }
      }
    } catch (IOException | IllegalStateException e) {
      // the client went away; its emitter's callbacks remove the stream
      close(stream);
    } catch (RuntimeException e) {
      log.warn(
          "an event stream of dataset {} could not read events: {}",
          stream.datasetId,
          e.getMessage());
    }
  }

  private void send(Stream stream, JobEvent event) throws IOException {
    Optional<String> json = renderer.render(event).map(EventJson::text);
    if (json.isEmpty()) {
      return;
    }
    stream.emitter.send(
        SseEmitter.event()
            .id(String.valueOf(event.id()))
            .name(event.type().wireName())
            .data(json.get()));
  }

  private void keepAlive() {
    for (Set<Stream> streams : byDataset.values()) {
      for (Stream stream : streams) {
        try {
          stream.emitter.send(SseEmitter.event().comment("keep-alive"));
        } catch (IOException | IllegalStateException e) {
          close(stream);
          continue;
        }
        pump(stream);
      }
    }
  }

  private void close(Stream stream) {
    if (!stream.closed) {
      stream.closed = true;
      remove(stream);
      stream.emitter.complete();
    }
  }

  private void remove(Stream stream) {
    stream.closed = true;
    byDataset.computeIfPresent(
        stream.datasetId,
        (id, streams) -> streams.remove(stream) && streams.isEmpty() ? null : streams);
  }

  @Override
  public void start() {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("event-streams").factory());
    scheduler.scheduleWithFixedDelay(
        this::keepAlive, keepAlive.toMillis(), keepAlive.toMillis(), TimeUnit.MILLISECONDS);
    running = true;
  }

  /** Ends every stream before the server drains: clients reconnect elsewhere with their last id. */
  @Override
  public void stop() {
    running = false;
    byDataset.values().forEach(streams -> List.copyOf(streams).forEach(this::close));
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return Integer.MAX_VALUE;
  }

  /** One open stream; written by one pump at a time. */
  private static final class Stream {
    final UUID datasetId;
    final Optional<UUID> jobId;
    final Set<EventType> types;
    final SseEmitter emitter;
    final AtomicBoolean pumping = new AtomicBoolean();
    volatile long lastId;
    volatile long wanted;
    volatile boolean again;
    volatile boolean closed;

    Stream(
        UUID datasetId,
        Optional<UUID> jobId,
        Set<EventType> types,
        long lastId,
        SseEmitter emitter) {
      this.datasetId = datasetId;
      this.jobId = jobId;
      this.types = types;
      this.lastId = lastId;
      this.emitter = emitter;
    }
  }
}
