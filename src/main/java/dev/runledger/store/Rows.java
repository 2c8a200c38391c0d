package dev.runledger.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runledger.model.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Reads typed values out of result sets. */
final class Rows {
  private Rows() {}

  static Instant instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Micros.toInstant(v);
  }

  static Integer integer(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  static Long longValue(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  static JsonNode json(ResultSet rs, String column) throws SQLException {
    return Json.read(rs.getString(column));
  }
}
