package io.retouch.common.edit;

/**
 * What the model is asked to do, as the job records it and the worker sends it: everything of a
 * request but its input images.
 */
public record EditSpec(
    String prompt, int n, ImageSize size, ImageQuality quality, EditOptions options) {}
