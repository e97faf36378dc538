package io.retouch.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * API key material. A key is {@code rt_} plus 32 random bytes; only its SHA-256 is stored. A fast
 * hash is enough because the key has 256 bits of entropy: there is nothing to brute-force.
 */
public final class ApiKeys {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PREFIX = "rt_";

  private ApiKeys() {}

  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static byte[] hash(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }

  /** The part of a key shown to operators to tell keys apart. */
  public static String displayPrefix(String key) {
    return key.substring(0, Math.min(key.length(), 10));
  }
}
