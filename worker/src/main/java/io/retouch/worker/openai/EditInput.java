package io.retouch.worker.openai;

import io.retouch.common.image.ImageFormat;

/** One input image ready to send: its bytes, its sniffed format and its file name. */
public record EditInput(String fileName, byte[] bytes, ImageFormat format) {}
