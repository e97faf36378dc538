package io.retouch.db.job;

/** An output image already written to object storage. */
public record NewOutput(int index, String s3Key, String mimeType, long bytes, String sha256) {}
