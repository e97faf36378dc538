package io.retouch.worker.consume;

import com.rabbitmq.client.Channel;
import io.retouch.common.messaging.JobMessage;
import io.retouch.common.messaging.JobMessageCodec;
import io.retouch.db.job.JobStore;
import io.retouch.worker.process.JobProcessor;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * Consumes job messages with manual acks. The ack follows the database commit of the attempt's
 * outcome, so a crash before it means redelivery, never loss. A message nobody can act on (not
 * JSON, or naming no job) is rejected without requeue and dead-lettered.
 *
 * <p>When Postgres is unreachable the consumer keeps its message and waits for the database, then
 * tries again: requeueing at once would burn through the queue's delivery limit during an outage
 * and dead-letter healthy jobs. With prefetch 1 a waiting consumer takes nothing else.
 */
public final class JobMessageListener implements ChannelAwareMessageListener {

  private static final Logger log = LoggerFactory.getLogger(JobMessageListener.class);

  private final JobProcessor processor;
  private final JobStore jobs;
  private final Duration maxOutageWait;

  public JobMessageListener(JobProcessor processor, JobStore jobs, Duration maxOutageWait) {
    this.processor = processor;
    this.jobs = jobs;
    this.maxOutageWait = maxOutageWait;
  }

  @Override
  public void onMessage(Message message, Channel channel) throws IOException {
    long tag = message.getMessageProperties().getDeliveryTag();
    JobMessage job;
    try {
      job = JobMessageCodec.decode(message.getBody());
    } catch (JobMessageCodec.MalformedMessageException e) {
      log.warn("dead-lettering a malformed job message: {}", e.getMessage());
      channel.basicReject(tag, false);
      return;
    }
    long deadline = System.nanoTime() + maxOutageWait.toNanos();
    while (true) {
      try {
        JobProcessor.Outcome outcome = processor.process(job.jobId());
        if (outcome == JobProcessor.Outcome.UNKNOWN_JOB) {
          log.warn("dead-lettering a message for unknown job {}", job.jobId());
          channel.basicReject(tag, false);
          return;
        }
        if (outcome == JobProcessor.Outcome.NO_MODEL) {
          // the consumer stops at the same time (ModelGate); the message waits for a model
          channel.basicNack(tag, false, true);
          return;
        }
        channel.basicAck(tag, false);
        return;
      } catch (DataAccessException | TransactionException e) {
        log.warn(
            "job {}: the database is unavailable, holding the message: {}",
            job.jobId(),
            e.getMessage());
        if (!awaitDatabase(deadline)) {
          channel.basicNack(tag, false, true);
          return;
        }
      } catch (RuntimeException e) {
        log.error("job {}: processing failed, the message goes back to the queue", job.jobId(), e);
        channel.basicNack(tag, false, true);
        return;
      }
    }
  }

  /** Probes the database every second until it answers, the deadline passes or we stop. */
  private boolean awaitDatabase(long deadline) {
    while (System.nanoTime() < deadline) {
      try {
        Thread.sleep(1000);
        jobs.ping();
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (RuntimeException stillDown) {
        // keep waiting
      }
    }
    return false;
  }
}
