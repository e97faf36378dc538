package io.retouch.common.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code webhook-signature} header of the Standard Webhooks specification: {@code
 * v1,<base64(HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>"))>} for each secret,
 * space-separated, so a receiver holding either the old or the new secret of a rotation accepts the
 * message. The body is signed as the exact bytes sent.
 */
public final class WebhookSignature {

  public static final String ID_HEADER = "webhook-id";
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  public static final String SIGNATURE_HEADER = "webhook-signature";

  private WebhookSignature() {}

  /**
   * @param timestamp seconds since the epoch, as sent in {@code webhook-timestamp}
   * @param secrets the current secret first, then any previous one still valid
   */
  public static String header(String id, long timestamp, byte[] body, List<SigningSecret> secrets) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("a webhook is signed with at least one secret");
    }
    return secrets.stream()
        .map(secret -> "v1," + sign(id, timestamp, body, secret))
        .collect(Collectors.joining(" "));
  }

  static String sign(String id, long timestamp, byte[] body, SigningSecret secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.key(), "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }
}
