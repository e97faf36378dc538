package io.retouch.worker.consume;

import io.retouch.common.messaging.JobMessage;
import io.retouch.common.messaging.JobMessageCodec;
import io.retouch.db.job.JobRecovery;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;

/**
 * Reads the copy of every dead-lettered job message and fails its job with {@code poison_message},
 * so a job whose message the broker gave up on does not wait forever. Messages that name no job
 * were already logged when they were rejected; they are dropped here.
 */
public final class PoisonedMessageListener implements MessageListener {

  private static final Logger log = LoggerFactory.getLogger(PoisonedMessageListener.class);

  private final JobRecovery recovery;
  private final int deliveryLimit;

  public PoisonedMessageListener(JobRecovery recovery, int deliveryLimit) {
    this.recovery = recovery;
    this.deliveryLimit = deliveryLimit;
  }

  @Override
  public void onMessage(Message message) {
    JobMessage job;
    try {
      job = JobMessageCodec.decode(message.getBody());
    } catch (JobMessageCodec.MalformedMessageException e) {
      return;
    }
    String why =
        "the job's message was dead-lettered (%s) after %s deliveries; the queue's limit is %d"
            .formatted(reason(message), deliveries(message), deliveryLimit);
    if (recovery.failPoisoned(job.jobId(), job.attempt(), why)) {
      log.warn("job {} failed: {}", job.jobId(), why);
    } else {
      log.info(
          "dead-lettered message for job {} attempt {} is stale or its job finished: ignored",
          job.jobId(),
          job.attempt());
    }
  }

  private static Object deliveries(Message message) {
    Object count = message.getMessageProperties().getHeaders().get("x-delivery-count");
    return count == null ? "?" : count;
  }

  @SuppressWarnings("unchecked")
  private static String reason(Message message) {
    Object deaths = message.getMessageProperties().getHeaders().get("x-death");
    if (deaths instanceof java.util.List<?> list
        && !list.isEmpty()
        && list.getFirst() instanceof Map<?, ?> death) {
      return String.valueOf(((Map<String, Object>) death).get("reason"));
    }
    Object first = message.getMessageProperties().getHeaders().get("x-first-death-reason");
    return first == null ? "unknown reason" : first.toString();
  }
}
