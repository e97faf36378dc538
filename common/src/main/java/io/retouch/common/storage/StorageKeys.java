package io.retouch.common.storage;

import java.util.UUID;

/**
 * The bucket layout. Keys are deterministic (dataset, job, index), so a redelivered or retried job
 * overwrites its own objects instead of adding strays.
 */
public final class StorageKeys {

  private StorageKeys() {}

  public static String input(UUID datasetId, UUID jobId, int index, String extension) {
    return "inputs/%s/%s/%d.%s".formatted(datasetId, jobId, index, extension);
  }

  public static String output(UUID datasetId, UUID jobId, int index, String extension) {
    return outputPrefix(datasetId, jobId) + index + "." + extension;
  }

  public static String outputPrefix(UUID datasetId, UUID jobId) {
    return "outputs/%s/%s/".formatted(datasetId, jobId);
  }
}
