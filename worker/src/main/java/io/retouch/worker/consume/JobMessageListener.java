package io.retouch.worker.consume;

import com.rabbitmq.client.Channel;
import io.retouch.common.messaging.JobMessage;
import io.retouch.common.messaging.JobMessageCodec;
import io.retouch.common.messaging.JobPublisher;
import io.retouch.common.tracing.JobTracing;
import io.retouch.db.job.JobStore;
import io.retouch.worker.process.JobHandler;
import io.retouch.worker.process.JobProcessor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 * and dead-letter healthy jobs. With prefetch 1 a waiting consumer takes nothing else. After {@code
 * retouch.worker.database-outage-wait} it publishes a fresh copy of the message (confirmed) and
 * acknowledges the old one: the copy waits at the back of the queue with a delivery count of zero,
 * so an outage of any length fails no job, and the consumer's channel is not held past the broker's
 * consumer timeout. Only when that publish fails is the message requeued as before.
 */
public final class JobMessageListener implements ChannelAwareMessageListener {

  private static final Logger log = LoggerFactory.getLogger(JobMessageListener.class);

  private final JobHandler processor;
  private final JobStore jobs;
  private final JobPublisher publisher;
  private final Duration maxOutageWait;

  public JobMessageListener(
      JobHandler processor, JobStore jobs, JobPublisher publisher, Duration maxOutageWait) {
    this.processor = processor;
    this.jobs = jobs;
    this.publisher = publisher;
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
          handBack(job, message, channel, tag);
          return;
        }
      } catch (RuntimeException e) {
        log.error("job {}: processing failed, the message goes back to the queue", job.jobId(), e);
        channel.basicNack(tag, false, true);
        return;
      }
    }
  }

  /** The database stayed away: the message goes to the back of the queue as a fresh copy. */
  private void handBack(JobMessage job, Message message, Channel channel, long tag)
      throws IOException {
    Object trace = message.getMessageProperties().getHeader(JobTracing.TRACE_PARENT);
    try {
      publisher.publishAll(
          List.of(
              new JobPublisher.Outgoing(job, Optional.ofNullable(trace).map(Object::toString))));
    } catch (JobPublisher.PublishFailedException e) {
      log.warn(
          "job {}: could not re-publish its message, requeueing it: {}",
          job.jobId(),
          e.getMessage());
      channel.basicNack(tag, false, true);
      return;
    }
    channel.basicAck(tag, false);
    log.warn(
        "job {}: the database was unavailable for {}; its message waits at the back of the queue"
            + " as a fresh copy, not counted against its delivery limit",
        job.jobId(),
        maxOutageWait);
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
