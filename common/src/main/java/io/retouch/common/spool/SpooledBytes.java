package io.retouch.common.spool;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Bytes written once, then read as often as needed: in memory up to a threshold, past it in a temp
 * file, so that a large upload costs the heap a buffer rather than its size. The SHA-256 and the
 * size are taken as the bytes are written. {@link #close()} deletes the file; it may be called on
 * any path and more than once.
 */
public final class SpooledBytes implements AutoCloseable {

  private static final int FILE_BUFFER = 64 * 1024;

  private final Path dir;
  private final int threshold;
  private final MessageDigest sha256;
  private Memory memory = new Memory();
  private Path file;
  private OutputStream fileOut;
  private FileChannel channel;
  private long size;
  private String sha256Hex;
  private boolean closed;

  /**
   * @param dir where the temp file goes once more than {@code threshold} bytes were written
   */
  public SpooledBytes(Path dir, int threshold) {
    this.dir = dir;
    this.threshold = threshold;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Bytes that stay in memory whatever their size: for values already held, such as a String. */
  public static SpooledBytes inMemory() {
    return new SpooledBytes(null, Integer.MAX_VALUE);
  }

  public void write(byte[] bytes, int offset, int length) {
    if (sha256Hex != null || closed) {
      throw new IllegalStateException("the bytes are finished");
    }
    sha256.update(bytes, offset, length);
    size += length;
    try {
      if (file == null && memory.size() + (long) length > threshold) {
        file = Files.createTempFile(dir, "retouch-input-", ".bin");
        fileOut = new BufferedOutputStream(Files.newOutputStream(file), FILE_BUFFER);
        memory.writeTo(fileOut);
        memory = null;
      }
      if (file == null) {
        memory.write(bytes, offset, length);
      } else {
        fileOut.write(bytes, offset, length);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not spool an input to " + dir, e);
    }
  }

  /** Ends writing; from now on the bytes can be read. */
  public SpooledBytes finish() {
    if (sha256Hex == null) {
      sha256Hex = HexFormat.of().formatHex(sha256.digest());
      if (fileOut != null) {
        try {
          fileOut.close();
        } catch (IOException e) {
          throw new UncheckedIOException("could not spool an input to " + file, e);
        }
      }
    }
    return this;
  }

  public long size() {
    return size;
  }

  /** Hex SHA-256 of the bytes, once {@link #finish() finished}. */
  public String sha256Hex() {
    requireFinished();
    return sha256Hex;
  }

  /** Whether the bytes went to a temp file (past the threshold). */
  public boolean onDisk() {
    return file != null;
  }

  /** A fresh stream over all the bytes; each call starts at the beginning. */
  public InputStream open() throws IOException {
    requireFinished();
    return file == null ? memory.open() : Files.newInputStream(file);
  }

  /** Reads up to {@code length} bytes at {@code position}; -1 past the end. */
  public synchronized int read(long position, byte[] into, int offset, int length)
      throws IOException {
    requireFinished();
    if (position >= size) {
      return -1;
    }
    if (file == null) {
      return memory.read((int) position, into, offset, length);
    }
    if (channel == null) {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    }
    return channel.read(ByteBuffer.wrap(into, offset, length), position);
  }

  /** All the bytes as one array; for small values and tests only. */
  public byte[] readAllBytes() {
    try (InputStream in = open()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void requireFinished() {
    if (sha256Hex == null || closed) {
      throw new IllegalStateException(closed ? "the bytes were discarded" : "still being written");
    }
  }

  /** Frees the bytes and deletes the temp file, if any. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    memory = null;
    try {
      if (fileOut != null) {
        fileOut.close();
      }
      if (channel != null) {
        channel.close();
      }
    } catch (IOException ignored) {
      // the file is deleted below either way
    }
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("could not delete the spooled input " + file, e);
      }
    }
  }

  /** The in-memory stage, read in place rather than copied out. */
  private static final class Memory extends ByteArrayOutputStream {

    InputStream open() {
      return new ByteArrayInputStream(buf, 0, count);
    }

    int read(int position, byte[] into, int offset, int length) {
      int n = Math.min(length, count - position);
      System.arraycopy(buf, position, into, offset, n);
      return n;
    }
  }
}
