package dev.runledger.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * How the server writes its log on stderr: {@code text} (logback.xml's pattern: ISO time in UTC,
 * level, logger, the MDC's run, task and principal, message) or {@code json}, one object a line
 * from Logback's JSON encoder with the message formatted (its arguments filled in), for a log
 * shipper to read.
 */
enum LogFormat {
  TEXT,
  JSON;

  static LogFormat parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--log-format (or RUNLEDGER_LOG_FORMAT) is text or json, not '" + value + "'");
    }
  }

  /** Makes the console appender write this format from now on. */
  void apply() {
    if (this == TEXT || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Appender<ILoggingEvent> appender = root.getAppender("STDERR");
    if (!(appender instanceof OutputStreamAppender<ILoggingEvent> console)) {
      return;
    }
    JsonEncoder json = new JsonEncoder();
    json.setContext(context);
    json.setWithFormattedMessage(true);
    json.setWithMessage(false);
    json.setWithArguments(false);
    json.setWithSequenceNumber(false);
    json.setWithNanoseconds(false);
    json.setWithContext(false);
    json.start();
    console.stop();
    console.setEncoder(json);
    console.start();
  }

  /** Silences the access log (a benchmark's thousands of requests would flood its output). */
  static void quietAccessLog() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger("dev.runledger.access").setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }
}
