package io.retouch.db;

import java.sql.SQLException;

/**
 * What a database error means for the caller, from the SQLSTATE Postgres reported (its appendix A)
 * rather than from the exception's class: a value Postgres cannot store (class 22, e.g. U+0000 in a
 * text column) is the request's fault and must not be answered as an outage that well-behaved
 * clients retry forever. A query the code got wrong is a bug. Anything else (connection failures,
 * shutdowns, serialization failures, errors without a SQLSTATE such as a closed pooled connection)
 * is treated as the database being unavailable, which is safe to retry.
 */
public enum DatabaseFailure {
  /** The data was refused: a character, length or number the column cannot hold (class 22). */
  BAD_DATA,
  /** A constraint refused the change: the data conflicts with what is stored (class 23). */
  CONFLICT,
  /** The statement itself is wrong: syntax, an unknown table or column, a missing privilege. */
  BUG,
  /** The database is unreachable, overloaded, shutting down or asked for a retry. */
  UNAVAILABLE;

  /**
   * @param failure a data access or transaction exception, whatever wraps the driver's error
   */
  public static DatabaseFailure of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return ofState(sql.getSQLState());
      }
    }
    return UNAVAILABLE;
  }

  static DatabaseFailure ofState(String state) {
    if (state.length() < 2) {
      return UNAVAILABLE;
    }
    return switch (state.substring(0, 2)) {
      case "22" -> BAD_DATA;
      case "23" -> CONFLICT;
      // syntax or access rule, feature not supported, invalid transaction state, a PL/pgSQL raise
      case "42", "0A", "25", "P0" -> BUG;
      default -> UNAVAILABLE;
    };
  }
}
