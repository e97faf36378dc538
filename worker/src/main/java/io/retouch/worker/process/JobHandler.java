package io.retouch.worker.process;

import java.util.UUID;

/** What the consumer hands each job message to; {@link JobProcessor} runs the attempt. */
@FunctionalInterface
public interface JobHandler {

  /**
   * @throws org.springframework.dao.DataAccessException when the database is unreachable
   */
  JobProcessor.Outcome process(UUID jobId);
}
