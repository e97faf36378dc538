package io.retouch.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;

class DatabaseFailureTest {

  @ParameterizedTest(name = "{0} ({1}) is {2}")
  @CsvSource({
    "22021, character_not_in_repertoire (U+0000 in text), BAD_DATA",
    "22P05, untranslatable_character, BAD_DATA",
    "22001, string_data_right_truncation, BAD_DATA",
    "22003, numeric_value_out_of_range, BAD_DATA",
    "22007, invalid_datetime_format, BAD_DATA",
    "23505, unique_violation, CONFLICT",
    "23503, foreign_key_violation, CONFLICT",
    "08006, connection_failure, UNAVAILABLE",
    "08001, sqlclient_unable_to_establish_sqlconnection, UNAVAILABLE",
    "40001, serialization_failure, UNAVAILABLE",
    "40P01, deadlock_detected, UNAVAILABLE",
    "53300, too_many_connections, UNAVAILABLE",
    "57P01, admin_shutdown, UNAVAILABLE",
    "57P03, cannot_connect_now, UNAVAILABLE",
    "58030, io_error, UNAVAILABLE",
    "55P03, lock_not_available, UNAVAILABLE",
    "XX000, internal_error, UNAVAILABLE",
    "42601, syntax_error, BUG",
    "42P01, undefined_table, BUG",
    "42501, insufficient_privilege, BUG",
    "0A000, feature_not_supported, BUG",
    "25P02, in_failed_sql_transaction, BUG",
    "P0001, raise_exception, BUG",
  })
  void the_sqlstate_decides_what_a_failure_means(String state, String name, DatabaseFailure kind) {
    var wrapped =
        new UncategorizedSQLException("insert", "INSERT …", new SQLException(name, state));
    assertThat(DatabaseFailure.of(wrapped)).isEqualTo(kind);
  }

  @org.junit.jupiter.api.Test
  void a_translation_spring_got_wrong_does_not_hide_the_sqlstate() {
    // Spring calls class 22 a data integrity violation, like a constraint: the state separates them
    var nul =
        new DataIntegrityViolationException(
            "x", new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021"));
    assertThat(DatabaseFailure.of(nul)).isEqualTo(DatabaseFailure.BAD_DATA);
  }

  @org.junit.jupiter.api.Test
  void errors_without_a_sqlstate_are_an_outage() {
    var timeout =
        new CannotGetJdbcConnectionException(
            "no connection",
            new SQLTransientConnectionException("Connection is not available, request timed out"));
    assertThat(DatabaseFailure.of(timeout)).isEqualTo(DatabaseFailure.UNAVAILABLE);
    // a rollback on a connection the server closed, as JPA reports it
    var rollback =
        new org.springframework.orm.jpa.JpaSystemException(
            new org.hibernate.TransactionException(
                "Unable to rollback against JDBC Connection",
                new SQLException("Connection is closed")));
    assertThat(DatabaseFailure.of(rollback)).isEqualTo(DatabaseFailure.UNAVAILABLE);
  }
}
