package io.retouch.common.webhook;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A webhook signing secret as the Standard Webhooks specification writes it: {@code whsec_}
 * followed by the base64 of the key. Retouch makes 32-byte keys; the specification allows 24 to 64.
 */
public final class SigningSecret {

  static final String PREFIX = "whsec_";
  private static final int KEY_BYTES = 32;

  private final byte[] key;

  private SigningSecret(byte[] key) {
    this.key = key.clone();
  }

  public static SigningSecret generate(SecureRandom random) {
    byte[] key = new byte[KEY_BYTES];
    random.nextBytes(key);
    return new SigningSecret(key);
  }

  /**
   * @throws IllegalArgumentException when {@code text} is not {@code whsec_<base64>}
   */
  public static SigningSecret parse(String text) {
    String encoded = text.startsWith(PREFIX) ? text.substring(PREFIX.length()) : text;
    try {
      byte[] key = Base64.getDecoder().decode(encoded);
      if (key.length == 0) {
        throw new IllegalArgumentException("a webhook secret holds a key");
      }
      return new SigningSecret(key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a webhook secret (whsec_<base64>)", e);
    }
  }

  byte[] key() {
    return key.clone();
  }

  /** {@code whsec_…}, as shown to the endpoint's owner. */
  public String text() {
    return PREFIX + Base64.getEncoder().encodeToString(key);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SigningSecret that && Arrays.equals(key, that.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  /** Never the key: secrets do not belong in logs. */
  @Override
  public String toString() {
    return "SigningSecret[whsec_…]";
  }
}
