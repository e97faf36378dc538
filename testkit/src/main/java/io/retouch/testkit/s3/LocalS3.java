package io.retouch.testkit.s3;

import io.retouch.common.storage.StorageProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * An S3 endpoint over a local directory (S3Proxy with its filesystem blob store), with real AWS
 * signature checking so that presigned URLs are verified as S3 would. Buckets are directories under
 * the given root; only path-style addressing is served.
 */
public final class LocalS3 implements AutoCloseable {

  /** The access key id every client must sign with. */
  public static final String ACCESS_KEY = "retouch-local";

  /** The secret key that goes with {@link #ACCESS_KEY}. */
  public static final String SECRET_KEY = "retouch-local-secret";

  /** The region clients should sign for; S3Proxy accepts any, this is the conventional one. */
  public static final String REGION = "us-east-1";

  private final S3Proxy proxy;
  private final Path dir;
  private final int port;

  private LocalS3(S3Proxy proxy, Path dir) {
    this.proxy = proxy;
    this.dir = dir;
    // Remembered because S3Proxy only knows the bound port while it is running.
    this.port = proxy.getPort();
  }

  /**
   * Starts S3 on {@code 127.0.0.1}, storing buckets under {@code dir} (created if missing).
   *
   * @param port the port to listen on, or 0 for any free port
   * @param dir the root directory; each bucket is a subdirectory
   * @throws IllegalStateException if S3Proxy fails to start (for example, the port is taken)
   */
  public static LocalS3 start(int port, Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + root, e);
    }
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", root.toString());
    BlobStore blobStore = BlobStores.create("filesystem-nio2", properties);

    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(blobStore)
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    try {
      proxy.start();
    } catch (Exception e) {
      stopQuietly(proxy, e);
      throw new IllegalStateException("S3Proxy did not start on port " + port, e);
    }
    return new LocalS3(proxy, root);
  }

  /** The endpoint to give an S3 client, {@code http://127.0.0.1:PORT}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port());
  }

  /** The port S3 listens on. */
  public int port() {
    return port;
  }

  /** The directory the buckets live in. */
  public Path dir() {
    return dir;
  }

  /** {@value #ACCESS_KEY} */
  public String accessKey() {
    return ACCESS_KEY;
  }

  /** {@value #SECRET_KEY} */
  public String secretKey() {
    return SECRET_KEY;
  }

  /** {@value #REGION} */
  public String region() {
    return REGION;
  }

  /** {@code retouch.storage} for this server and {@code bucket}: path-style, fixed keys. */
  public StorageProperties storage(String bucket) {
    return new StorageProperties(
        endpoint(), null, REGION, bucket, ACCESS_KEY, SECRET_KEY, true, true, null, null);
  }

  /** Stops S3Proxy; the files stay in {@link #dir()}. */
  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("S3Proxy did not stop cleanly", e);
    }
  }

  private static void stopQuietly(S3Proxy proxy, Exception cause) {
    try {
      proxy.stop();
    } catch (Exception suppressed) {
      cause.addSuppressed(suppressed);
    }
  }
}
