package io.retouch.worker.consume;

import com.rabbitmq.client.Channel;
import io.retouch.common.messaging.JobMessage;
import io.retouch.common.messaging.JobMessageCodec;
import io.retouch.worker.process.JobProcessor;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * Consumes job messages with manual acks. The ack follows the database commit of the attempt's
 * outcome, so a crash before it means redelivery, never loss. A message nobody can act on is (not
 * JSON, or naming no job) is rejected without requeue and dead-lettered. An unexpected failure (the
 * database is down, say) requeues the message; the quorum queue's delivery limit bounds how often.
 */
public final class JobMessageListener implements ChannelAwareMessageListener {

  private static final Logger log = LoggerFactory.getLogger(JobMessageListener.class);

  private final JobProcessor processor;

  public JobMessageListener(JobProcessor processor) {
    this.processor = processor;
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
    try {
      if (processor.process(job.jobId()) == JobProcessor.Outcome.UNKNOWN_JOB) {
        log.warn("dead-lettering a message for unknown job {}", job.jobId());
        channel.basicReject(tag, false);
        return;
      }
      channel.basicAck(tag, false);
    } catch (RuntimeException e) {
      log.error("job {}: processing failed, the message goes back to the queue", job.jobId(), e);
      channel.basicNack(tag, false, true);
    }
  }
}
