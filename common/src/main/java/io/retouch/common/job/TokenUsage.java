package io.retouch.common.job;

/** Tokens OpenAI billed for one successful edit. */
public record TokenUsage(Integer inputTokens, Integer outputTokens, Integer totalTokens) {

  public static TokenUsage unknown() {
    return new TokenUsage(null, null, null);
  }
}
