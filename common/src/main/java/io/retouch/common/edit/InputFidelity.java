package io.retouch.common.edit;

import java.util.Optional;

/** {@code input_fidelity}: how closely the model keeps the inputs' details (GPT Image 1.x). */
public enum InputFidelity {
  LOW,
  HIGH;

  public String wireName() {
    return WireNames.of(this);
  }

  public static Optional<InputFidelity> fromWireName(String value) {
    return WireNames.parse(InputFidelity.class, value);
  }
}
