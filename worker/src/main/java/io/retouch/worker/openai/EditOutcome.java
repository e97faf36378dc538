package io.retouch.worker.openai;

import io.retouch.common.job.TokenUsage;
import java.util.List;

/** The decoded images OpenAI returned and the tokens it billed. */
public record EditOutcome(List<byte[]> images, TokenUsage usage) {}
