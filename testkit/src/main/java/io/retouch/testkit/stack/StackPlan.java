package io.retouch.testkit.stack;

import io.retouch.testkit.s3.LocalS3;
import io.retouch.testkit.services.ServiceContainers.Kind;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one {@code up} starts and what its apps are told, decided from the service decisions and the
 * user's environment before anything runs. It is pure so that the container path, which needs
 * Docker, is tested without it.
 *
 * @param containers the servers the {@code containers} component provides (none: no such component)
 * @param localS3 whether the testkit's S3 runs ({@code RETOUCH_STORAGE_ENDPOINT} unset)
 * @param fakeOpenAi whether the fake OpenAI runs ({@code OPENAI_API_KEY} unset)
 */
record StackPlan(Set<Kind> containers, boolean localS3, boolean fakeOpenAi, int workers) {

  static final String FAKE_OPENAI_KEY = "sk-fake-retouch-local";

  StackPlan {
    containers = Set.copyOf(containers);
  }

  static StackPlan of(Set<Kind> containers, Map<String, String> env) {
    return new StackPlan(
        containers,
        env.getOrDefault("RETOUCH_STORAGE_ENDPOINT", "").isEmpty(),
        env.getOrDefault("OPENAI_API_KEY", "").isEmpty(),
        Integer.parseInt(env.getOrDefault("RETOUCH_STACK_WORKERS", "1").strip()));
  }

  /** The components in start order: the containers first, as everything else uses them. */
  List<String> components() {
    return StackState.components(workers, !containers.isEmpty());
  }

  /** The testkit jar's command line for the {@code containers} component. */
  List<String> containersCommand(Path coordinates) {
    return List.of("containers", "--servers", servers(","), "--out", coordinates.toString());
  }

  /** The servers the containers provide, in start order, joined by {@code separator}. */
  String servers(String separator) {
    return containers.stream().sorted().map(Kind::option).collect(Collectors.joining(separator));
  }

  /**
   * What the API, the workers and the bootstrap get on top of the user's environment: the
   * containers' coordinates (which replace any configured server), the local S3 and the fake OpenAI
   * when they run.
   */
  Map<String, String> appEnvironment(
      Map<String, String> containerEnvironment, OptionalInt s3Port, OptionalInt fakeOpenAiPort) {
    Map<String, String> env = new LinkedHashMap<>(containerEnvironment);
    s3Port.ifPresent(
        port -> {
          env.put("RETOUCH_STORAGE_ENDPOINT", "http://127.0.0.1:" + port);
          env.put("RETOUCH_STORAGE_PATH_STYLE", "true");
          env.put("RETOUCH_STORAGE_ACCESS_KEY", LocalS3.ACCESS_KEY);
          env.put("RETOUCH_STORAGE_SECRET_KEY", LocalS3.SECRET_KEY);
          env.put("RETOUCH_STORAGE_REGION", LocalS3.REGION);
        });
    fakeOpenAiPort.ifPresent(
        port -> {
          env.put("OPENAI_API_KEY", FAKE_OPENAI_KEY);
          env.put("OPENAI_BASE_URL", "http://127.0.0.1:" + port + "/v1");
        });
    return env;
  }
}
