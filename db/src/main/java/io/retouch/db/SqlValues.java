package io.retouch.db;

import io.retouch.common.event.EventType;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Conversions between Java values and the columns the stores read and write. */
public final class SqlValues {

  private SqlValues() {}

  /**
   * Parameters {@code :queued} and {@code :processing} for statements that read by status: statuses
   * are spelled out only where they are written ({@code Transitions}).
   */
  public static final java.util.Map<String, Object> STATUSES =
      java.util.Map.of(
          "queued",
          io.retouch.common.job.JobStatus.QUEUED.wireName(),
          "processing",
          io.retouch.common.job.JobStatus.PROCESSING.wireName());

  /**
   * A {@code timestamptz} parameter (UTC); null stays null. Cut to the microseconds Postgres keeps
   * (it would round), so what is read back is never later than what was written.
   */
  public static OffsetDateTime ts(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }

  /** A nullable {@code timestamptz} column. */
  public static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? Optional.empty() : Optional.of(value.toInstant());
  }

  /**
   * A {@code text[]} of event types as a parameter for {@code string_to_array(:p, ',')}: wire names
   * hold no comma. Null (every type) stays null.
   */
  public static String eventTypes(Set<EventType> types) {
    return types == null
        ? null
        : types.stream().map(EventType::wireName).sorted().collect(Collectors.joining(","));
  }

  /** A nullable {@code text[]} column of event types. */
  public static Optional<Set<EventType>> eventTypes(ResultSet rs, String column)
      throws SQLException {
    Array array = rs.getArray(column);
    if (array == null) {
      return Optional.empty();
    }
    Set<EventType> types = EnumSet.noneOf(EventType.class);
    for (String name : (String[]) array.getArray()) {
      types.add(
          EventType.fromWireName(name)
              .orElseThrow(() -> new IllegalStateException("unknown event type " + name)));
    }
    return Optional.of(Set.copyOf(types));
  }
}
