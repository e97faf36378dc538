package io.retouch.worker.model;

import io.retouch.common.model.ImageModels;
import io.retouch.common.model.ModelCapabilities;
import io.retouch.common.openai.OpenAiProperties;
import io.retouch.worker.model.ModelCatalog.Lookup;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the worker knows about the models it may call: {@code retouch.openai.model} first, then
 * {@code retouch.openai.fallback-models}, each checked against OpenAI's models endpoint at start
 * and then every {@code retouch.openai.lifecycle-check}. A model that is unknown or past its
 * shutdown date is not used, and when it is the configured one the worker is not ready; a model
 * within {@code shutdown-warning} of its shutdown date is used and warned about at every check. A
 * model that answers {@code model_not_found} during a job is marked unknown at once.
 *
 * <p>When OpenAI cannot be asked, the last answer stands, or else the capability table's shutdown
 * date: a worker that starts offline with a model shut down months ago still knows it.
 */
public final class ModelLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ModelLifecycle.class);

  /** Where a model stands. */
  public enum Status {
    CURRENT(true),
    RETIRING(true),
    SHUT_DOWN(false),
    UNKNOWN(false),
    /** Not asked yet, or OpenAI could not be asked: used, OpenAI has the last word. */
    UNCHECKED(true);

    private final boolean usable;

    Status(boolean usable) {
      this.usable = usable;
    }

    public boolean usable() {
      return usable;
    }
  }

  /**
   * One model's standing and why.
   *
   * @param setting the property that names it
   */
  public record ModelState(
      String model,
      String setting,
      Status status,
      Optional<LocalDate> shutdownDate,
      String detail) {}

  private final ModelCatalog catalog;
  private final OpenAiProperties props;
  private final Clock clock;
  private final ImageModels table;
  private final Map<String, ModelState> states = new LinkedHashMap<>(); // guarded by this
  private final List<Consumer<List<String>>> listeners = new CopyOnWriteArrayList<>();

  public ModelLifecycle(ModelCatalog catalog, OpenAiProperties props, Clock clock) {
    this.catalog = catalog;
    this.props = props;
    this.clock = clock;
    this.table = ImageModels.table();
    for (String model : props.models()) {
      states.put(
          model,
          new ModelState(model, setting(model), Status.UNCHECKED, Optional.empty(), "not checked"));
    }
  }

  /** Calls {@code listener} with the usable models whenever that list changes. */
  public void onUsableChange(Consumer<List<String>> listener) {
    listeners.add(listener);
  }

  /** Asks OpenAI about every model now. */
  public void check() {
    List<String> before = usable();
    LocalDate today = LocalDate.now(clock);
    for (String model : props.models()) {
      ModelState state = judge(model, catalog.lookup(model), today);
      synchronized (this) {
        states.put(model, state);
      }
      switch (state.status()) {
        case SHUT_DOWN, UNKNOWN ->
            log.error("{} {} is not usable: {}", state.setting(), model, state.detail());
        case RETIRING -> log.warn("{} {} {}", state.setting(), model, state.detail());
        case UNCHECKED -> log.warn("{} {}: {}", state.setting(), model, state.detail());
        case CURRENT -> log.info("{} {}: {}", state.setting(), model, state.detail());
      }
    }
    announce(before);
  }

  /** A job's call was answered {@code model_not_found}: the model is not used from now on. */
  public void notFound(String model, String message) {
    List<String> before = usable();
    synchronized (this) {
      ModelState old = states.get(model);
      if (old == null) {
        return;
      }
      states.put(
          model,
          new ModelState(
              model,
              old.setting(),
              Status.UNKNOWN,
              old.shutdownDate(),
              "answered model_not_found during a job: " + message));
    }
    log.error("{} {} answered model_not_found; it is not used any more", setting(model), model);
    announce(before);
  }

  /** The models to try for a job, in order: those not known to be gone. */
  public synchronized List<String> usable() {
    return states.values().stream()
        .filter(s -> s.status().usable())
        .map(ModelState::model)
        .toList();
  }

  public synchronized List<ModelState> states() {
    return List.copyOf(states.values());
  }

  /** What the capability table says a model accepts; empty for a model it does not know. */
  public Optional<ModelCapabilities> capabilities(String model) {
    return table.of(model);
  }

  /**
   * Why the worker is not ready: its configured model is unknown or shut down. Empty when it is
   * usable (retiring included).
   */
  public synchronized Optional<String> readinessProblem() {
    ModelState primary = states.get(props.model());
    if (primary.status().usable()) {
      return Optional.empty();
    }
    List<String> usable = usable();
    String consequence =
        usable.isEmpty()
            ? "no fallback is usable either, so this worker takes no jobs until it is changed"
            : "jobs run on the fallback " + usable.getFirst() + " meanwhile";
    return Optional.of(
        "%s (RETOUCH_OPENAI_MODEL) %s is not usable: %s. Set it to a current model (OpenAI's"
                .formatted(primary.setting(), primary.model(), primary.detail())
            + " deprecations page names the replacements); "
            + consequence);
  }

  private ModelState judge(String model, Lookup lookup, LocalDate today) {
    String setting = setting(model);
    return switch (lookup) {
      case Lookup.Listed listed -> listed(model, setting, listed.shutdownDate(), today, "OpenAI");
      case Lookup.NotFound notFound ->
          new ModelState(
              model,
              setting,
              Status.UNKNOWN,
              Optional.empty(),
              "OpenAI does not know it: " + notFound.message());
      case Lookup.Unanswered unanswered -> {
        ModelState last;
        synchronized (this) {
          last = states.get(model);
        }
        if (last.status() != Status.UNCHECKED) {
          yield last; // the last answer stands
        }
        Optional<LocalDate> known = table.of(model).flatMap(ModelCapabilities::shutdownDate);
        if (known.isPresent()) {
          yield listed(model, setting, known, today, "the capability table (" + table.asOf() + ")");
        }
        yield new ModelState(
            model,
            setting,
            Status.UNCHECKED,
            Optional.empty(),
            "could not ask OpenAI about it ("
                + unanswered.why()
                + "); it is used until OpenAI says otherwise");
      }
    };
  }

  private ModelState listed(
      String model, String setting, Optional<LocalDate> shutdown, LocalDate today, String source) {
    if (shutdown.isEmpty()) {
      return new ModelState(
          model, setting, Status.CURRENT, shutdown, source + " lists it with no shutdown date");
    }
    LocalDate date = shutdown.get();
    if (!today.isBefore(date)) {
      return new ModelState(
          model,
          setting,
          Status.SHUT_DOWN,
          shutdown,
          "was shut down on " + date + " (" + source + ")");
    }
    long days = ChronoUnit.DAYS.between(today, date);
    if (days <= props.shutdownWarning().toDays()) {
      return new ModelState(
          model,
          setting,
          Status.RETIRING,
          shutdown,
          "shuts down on %s, in %d days (%s): choose its replacement before then"
              .formatted(date, days, source));
    }
    return new ModelState(
        model, setting, Status.CURRENT, shutdown, "shuts down on " + date + " (" + source + ")");
  }

  private String setting(String model) {
    return model.equals(props.model()) ? "retouch.openai.model" : "retouch.openai.fallback-models";
  }

  private void announce(List<String> before) {
    List<String> after = usable();
    if (!after.equals(before)) {
      for (Consumer<List<String>> listener : listeners) {
        listener.accept(new ArrayList<>(after));
      }
    }
  }
}
