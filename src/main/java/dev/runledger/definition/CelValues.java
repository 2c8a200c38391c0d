package dev.runledger.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.primitives.UnsignedLong;
import dev.cel.common.types.CelType;
import dev.cel.common.types.TypeType;
import dev.cel.common.values.CelByteString;
import dev.cel.common.values.NullValue;
import dev.runledger.model.Durations;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Converts values between plain Java or JSON and CEL: integers become {@code Long}, null becomes
 * CEL's null, and on the way back timestamps, durations, bytes, optionals, unsigned integers and
 * maps with non-string keys become JSON a person can read.
 */
public final class CelValues {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private CelValues() {}

  /** A value CEL can evaluate against: Long, Double, String, Boolean, Map, List, NullValue... */
  public static Object toCel(Object value) {
    if (value == null) {
      return NullValue.NULL_VALUE;
    }
    if (value instanceof String
        || value instanceof Boolean
        || value instanceof Long
        || value instanceof Double
        || value instanceof NullValue
        || value instanceof UnsignedLong
        || value instanceof CelByteString
        || value instanceof Instant
        || value instanceof Duration) {
      return value;
    }
    if (value instanceof JsonNode node) {
      return fromJson(node);
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof BigInteger big) {
      return big.compareTo(LONG_MIN) >= 0 && big.compareTo(LONG_MAX) <= 0
          ? (Object) big.longValue()
          : (Object) big.doubleValue();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.doubleValue();
    }
    if (value instanceof Character || value instanceof CharSequence) {
      return value.toString();
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> converted = new LinkedHashMap<>();
      map.forEach((k, v) -> converted.put(k instanceof String ? k : toCel(k), toCel(v)));
      return converted;
    }
    if (value instanceof Collection<?> collection) {
      List<Object> converted = new ArrayList<>(collection.size());
      collection.forEach(item -> converted.add(toCel(item)));
      return converted;
    }
    if (value instanceof byte[] bytes) {
      return CelByteString.of(bytes);
    }
    if (value instanceof Object[] array) {
      return toCel(List.of(array));
    }
    if (value instanceof Optional<?> optional) {
      return optional.map(CelValues::toCel);
    }
    if (value instanceof OffsetDateTime time) {
      return time.toInstant();
    }
    if (value instanceof ZonedDateTime time) {
      return time.toInstant();
    }
    if (value instanceof Date date) {
      return date.toInstant();
    }
    if (value instanceof Enum<?> constant) {
      return constant.toString();
    }
    // records and other beans: as Jackson would write them
    return fromJson(MAPPER.valueToTree(value));
  }

  /** A JSON tree as CEL values (objects as maps, integers as Long, decimals as Double). */
  public static Object fromJson(JsonNode node) {
    if (node == null) {
      return NullValue.NULL_VALUE;
    }
    switch (node.getNodeType()) {
      case OBJECT:
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> entry = it.next();
          map.put(entry.getKey(), fromJson(entry.getValue()));
        }
        return map;
      case ARRAY:
        List<Object> list = new ArrayList<>(node.size());
        node.forEach(item -> list.add(fromJson(item)));
        return list;
      case STRING:
        return node.textValue();
      case BOOLEAN:
        return node.booleanValue();
      case NUMBER:
        if (node.isIntegralNumber()) {
          return node.canConvertToLong() ? (Object) node.longValue() : (Object) node.doubleValue();
        }
        return node.doubleValue();
      case BINARY:
        try {
          return CelByteString.of(node.binaryValue());
        } catch (java.io.IOException e) {
          throw new IllegalArgumentException("unreadable binary value", e);
        }
      case POJO:
        return toCel(((com.fasterxml.jackson.databind.node.POJONode) node).getPojo());
      default:
        return NullValue.NULL_VALUE;
    }
  }

  /**
   * A CEL result as JSON: timestamps as RFC 3339 text, durations as {@code 90s}, bytes as UTF-8
   * text (base64 when they are not UTF-8), an empty optional as null, map keys as text.
   */
  public static JsonNode toJson(Object value) {
    if (value == null || value instanceof NullValue) {
      return NODES.nullNode();
    }
    if (value instanceof JsonNode node) {
      return node;
    }
    if (value instanceof String s) {
      return NODES.textNode(s);
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short) {
      return NODES.numberNode(((Number) value).longValue());
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return Double.isFinite(d) ? NODES.numberNode(d) : NODES.textNode(Double.toString(d));
    }
    if (value instanceof UnsignedLong unsigned) {
      return unsigned.compareTo(UnsignedLong.valueOf(Long.MAX_VALUE)) <= 0
          ? NODES.numberNode(unsigned.longValue())
          : NODES.numberNode(unsigned.bigIntegerValue());
    }
    if (value instanceof BigInteger big) {
      return NODES.numberNode(big);
    }
    if (value instanceof BigDecimal decimal) {
      return NODES.numberNode(decimal);
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = NODES.objectNode();
      map.forEach((k, v) -> object.set(toText(k), toJson(v)));
      return object;
    }
    if (value instanceof Collection<?> collection) {
      ArrayNode array = NODES.arrayNode(collection.size());
      collection.forEach(item -> array.add(toJson(item)));
      return array;
    }
    if (value instanceof Optional<?> optional) {
      return optional.isPresent() ? toJson(optional.get()) : NODES.nullNode();
    }
    if (value instanceof Enum<?> constant && "NULL_VALUE".equals(constant.name())) {
      return NODES.nullNode(); // com.google.protobuf.NullValue
    }
    return NODES.textNode(toText(value));
  }

  /**
   * A CEL result as text for interpolation: strings as they are, numbers and booleans plainly, null
   * and an empty optional as the empty string, maps and lists as JSON.
   */
  public static String toText(Object value) {
    if (value == null || value instanceof NullValue) {
      return "";
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Boolean || value instanceof Long || value instanceof Integer) {
      return value.toString();
    }
    if (value instanceof Double d) {
      return Double.isFinite(d) ? CanonicalJson.number(BigDecimal.valueOf(d)) : d.toString();
    }
    if (value instanceof Instant instant) {
      return instant.toString();
    }
    if (value instanceof Duration duration) {
      return duration.getNano() % 1_000_000 == 0 && !duration.isNegative()
          ? Durations.format(duration)
          : duration.toString();
    }
    if (value instanceof CelByteString bytes) {
      return bytes.isValidUtf8()
          ? bytes.toStringUtf8()
          : Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
    if (value instanceof Optional<?> optional) {
      return optional.map(CelValues::toText).orElse("");
    }
    if (value instanceof TypeType type) {
      return type.type().name(); // type(x) gives the type of x
    }
    if (value instanceof CelType type) {
      return type.name();
    }
    if (value instanceof Enum<?> constant && "NULL_VALUE".equals(constant.name())) {
      return "";
    }
    if (value instanceof Map<?, ?> || value instanceof Collection<?> || value instanceof JsonNode) {
      JsonNode node = toJson(value);
      return node.isTextual() ? node.textValue() : node.toString();
    }
    return String.valueOf(value);
  }
}
