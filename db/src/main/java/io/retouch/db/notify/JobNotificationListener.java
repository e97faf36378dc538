package io.retouch.db.notify;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Holds one connection that {@code LISTEN}s on {@link JobNotifications#CHANNEL} and hands each
 * status change to a consumer. When the connection breaks it reconnects with backoff and calls
 * {@code onReconnect}, because notifications sent while it was away are lost and the consumer must
 * re-check what it waits for.
 */
public final class JobNotificationListener implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(JobNotificationListener.class);
  private static final int POLL_MILLIS = 1000;

  private final DataSource dataSource;
  private final Consumer<JobNotifications.StatusChange> onChange;
  private final Runnable onReconnect;
  private volatile boolean running;
  private Thread thread;

  public JobNotificationListener(
      DataSource dataSource,
      Consumer<JobNotifications.StatusChange> onChange,
      Runnable onReconnect) {
    this.dataSource = dataSource;
    this.onChange = onChange;
    this.onReconnect = onReconnect;
  }

  @Override
  public void start() {
    running = true;
    thread = Thread.ofVirtual().name("job-notification-listener").start(this::run);
  }

  /**
   * Not interrupting: an interrupt in the driver's read would break the pooled connection. The loop
   * sees the flag within one poll.
   */
  @Override
  public void stop() {
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void run() {
    Duration backoff = Duration.ofMillis(250);
    boolean firstConnect = true;
    while (running) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + JobNotifications.CHANNEL);
        }
        if (!firstConnect) {
          log.info("listening for job notifications again");
          onReconnect.run();
        }
        firstConnect = false;
        backoff = Duration.ofMillis(250);
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
          if (notifications != null) {
            for (PGNotification n : notifications) {
              JobNotifications.StatusChange.parse(n.getParameter()).ifPresent(onChange);
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        firstConnect = false;
        log.warn(
            "job notification listener lost its connection, retrying in {}: {}",
            backoff,
            e.getMessage());
        try {
          // a background reconnect loop, not a consumer thread: waiting here delays nobody
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          return;
        }
        backoff =
            backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0
                ? Duration.ofSeconds(5)
                : backoff.multipliedBy(2);
      }
    }
  }
}
