package io.retouch.common.storage;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Presigned URLs, signed with AWS Signature Version 4 in the query string as S3 defines it
 * (docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html): {@code GET} for the
 * result URLs clients receive, {@code GET} and {@code PUT} for Retouch's own transfers ({@link
 * SignedTransfers}). Every job answer and event carries fresh URLs, and the SDK's presigner runs
 * its whole request pipeline (endpoint rules, interceptors) for each: measured by scripts/bench as
 * a fifth of the API's CPU per job. Signing a URL is a few HMACs; this does only that, with the
 * SDK's credentials provider (so IAM roles, session tokens and their rotation work as before).
 */
public final class PresignedUrls {

  /** S3's limit for query-string signatures. */
  static final Duration MAX_TTL = Duration.ofDays(7);

  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();

  private final AwsCredentialsProvider credentials;
  private final String region;
  private final URI endpoint;
  private final boolean pathStyle;
  private final Clock clock;

  /**
   * @param endpoint where clients reach the store ({@code scheme://host[:port][/base]}); null for
   *     AWS's regional endpoint
   */
  public PresignedUrls(
      AwsCredentialsProvider credentials,
      String region,
      URI endpoint,
      boolean pathStyle,
      Clock clock) {
    this.credentials = credentials;
    this.region = region;
    this.endpoint =
        endpoint != null ? endpoint : URI.create("https://s3." + region + ".amazonaws.com");
    this.pathStyle = pathStyle;
    this.clock = clock;
  }

  /** A URL that reads {@code key} of {@code bucket} for {@code ttl} from now. */
  public URI get(String bucket, String key, Duration ttl) {
    return sign("GET", bucket, key, ttl);
  }

  /**
   * A URL that {@code method} ({@code GET}, {@code PUT}) may use on {@code key} for {@code ttl}.
   */
  URI sign(String method, String bucket, String key, Duration ttl) {
    return sign(method, bucket, key, ttl, clock.instant(), credentials.resolveCredentials());
  }

  URI get(String bucket, String key, Duration ttl, Instant now, AwsCredentials signer) {
    return sign("GET", bucket, key, ttl, now, signer);
  }

  URI sign(
      String method, String bucket, String key, Duration ttl, Instant now, AwsCredentials signer) {
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("a presigned URL lives between 1 s and 7 days: " + ttl);
    }
    String host = endpoint.getHost().toLowerCase(java.util.Locale.ROOT);
    if (!pathStyle) {
      host = bucket + "." + host;
    }
    int port = endpoint.getPort();
    boolean defaultPort =
        port == -1
            || (port == 443 && endpoint.getScheme().equals("https"))
            || (port == 80 && endpoint.getScheme().equals("http"));
    String authority = defaultPort ? host : host + ":" + port;
    String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", "");
    String path = base + (pathStyle ? "/" + encode(bucket) : "") + "/" + encodePath(key);

    String date = DATE.format(now);
    String scope = date + "/" + region + "/s3/aws4_request";
    Map<String, String> query = new TreeMap<>();
    query.put("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
    query.put("X-Amz-Credential", signer.accessKeyId() + "/" + scope);
    query.put("X-Amz-Date", AMZ_DATE.format(now));
    query.put("X-Amz-Expires", Long.toString(ttl.toSeconds()));
    query.put("X-Amz-SignedHeaders", "host");
    if (signer instanceof AwsSessionCredentials session) {
      query.put("X-Amz-Security-Token", session.sessionToken());
    }
    String canonicalQuery =
        query.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    String canonicalRequest =
        method
            + "\n"
            + path
            + "\n"
            + canonicalQuery
            + "\nhost:"
            + authority
            + "\n\nhost\nUNSIGNED-PAYLOAD";
    String stringToSign =
        "AWS4-HMAC-SHA256\n"
            + AMZ_DATE.format(now)
            + "\n"
            + scope
            + "\n"
            + sha256(canonicalRequest);
    byte[] key2 = hmac(("AWS4" + signer.secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
    byte[] signingKey = hmac(hmac(hmac(key2, region), "s3"), "aws4_request");
    String signature = HEX.formatHex(hmac(signingKey, stringToSign));
    return URI.create(
        endpoint.getScheme()
            + "://"
            + authority
            + path
            + "?"
            + canonicalQuery
            + "&X-Amz-Signature="
            + signature);
  }

  /** Each segment encoded, the slashes between them kept (S3 does not double-encode). */
  private static String encodePath(String key) {
    return java.util.Arrays.stream(key.split("/", -1))
        .map(PresignedUrls::encode)
        .collect(Collectors.joining("/"));
  }

  /** RFC 3986: everything but the unreserved characters, as SigV4 requires. */
  static String encode(String value) {
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)));
        out.append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static String sha256(String text) {
    try {
      return HEX.formatHex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
