package io.retouch.common.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class StorageKeysTest {

  private static final UUID DATASET = UUID.fromString("0b5f3c1e-0000-4000-8000-000000000001");
  private static final UUID JOB = UUID.fromString("019a0000-0000-7000-8000-000000000002");

  @Test
  void inputs_live_under_dataset_and_job_with_their_extension() {
    assertThat(StorageKeys.input(DATASET, JOB, 0, "jpg"))
        .isEqualTo("inputs/" + DATASET + "/" + JOB + "/0.jpg");
  }

  @Test
  void outputs_live_under_their_prefix_so_a_job_can_be_listed() {
    assertThat(StorageKeys.outputPrefix(DATASET, JOB))
        .isEqualTo("outputs/" + DATASET + "/" + JOB + "/");
    assertThat(StorageKeys.output(DATASET, JOB, 2, "png"))
        .isEqualTo("outputs/" + DATASET + "/" + JOB + "/2.png")
        .startsWith(StorageKeys.outputPrefix(DATASET, JOB));
  }

  @Test
  void keys_are_deterministic_so_a_retry_overwrites_instead_of_adding() {
    assertThat(StorageKeys.output(DATASET, JOB, 1, "png"))
        .isEqualTo(StorageKeys.output(DATASET, JOB, 1, "png"));
  }
}
