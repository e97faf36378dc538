package io.retouch.e2e;

import io.retouch.testkit.services.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Read-only looks into the run's database, to check what the processes recorded. */
final class Database {

  private Database() {}

  static List<List<Object>> query(String sql, Object... params) {
    var pg = TestServices.get().postgres();
    try (Connection connection =
            DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
        var statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        statement.setObject(i + 1, params[i]);
      }
      List<List<Object>> rows = new ArrayList<>();
      try (var rs = statement.executeQuery()) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int c = 1; c <= columns; c++) {
            row.add(rs.getObject(c));
          }
          rows.add(row);
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static Object single(String sql, Object... params) {
    return query(sql, params).getFirst().getFirst();
  }
}
