package io.retouch.testkit.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What {@code up} settled on, kept in {@code stack.env} for {@code status}, {@code down} and the
 * next {@code up}.
 *
 * @param s3Port the local S3's port, empty when the stack uses a configured S3
 * @param fakeOpenAiPort the fake OpenAI's port, empty when the stack calls a real OpenAI
 * @param containerEnvironment what the {@code containers} component reported (the apps' {@code
 *     SPRING_DATASOURCE_*} / {@code SPRING_RABBITMQ_*}); empty when {@code up} started none
 */
record StackState(
    int apiPort,
    String apiUrl,
    String s3Endpoint,
    OptionalInt s3Port,
    String openAiUrl,
    OptionalInt fakeOpenAiPort,
    int workers,
    Map<String, String> containerEnvironment) {

  StackState {
    containerEnvironment = Map.copyOf(containerEnvironment);
  }

  /** Started first, stopped last: the servers the API and the workers use. */
  static final String CONTAINERS = "containers";

  /** The prefix of the containers' coordinates in {@code stack.env}. */
  private static final String CONTAINER = "CONTAINER_";

  static final String S3 = "s3";
  static final String FAKE_OPENAI = "fake-openai";
  static final String API = "api";

  /** The first worker is {@code worker}, further ones {@code worker-2}, {@code worker-3}, … */
  static String worker(int index) {
    return index == 1 ? "worker" : "worker-" + index;
  }

  /** The components of this stack in start order; {@code down} stops them in reverse. */
  List<String> components() {
    return components(workers, !containerEnvironment.isEmpty());
  }

  static List<String> components(int workers, boolean containers) {
    List<String> names = new ArrayList<>();
    if (containers) {
      names.add(CONTAINERS);
    }
    names.addAll(List.of(S3, FAKE_OPENAI, API));
    for (int i = 1; i <= workers; i++) {
      names.add(worker(i));
    }
    return names;
  }

  void save(Path file) {
    Properties p = new Properties();
    p.setProperty("API_PORT", "" + apiPort);
    p.setProperty("API_URL", apiUrl);
    p.setProperty("S3_ENDPOINT", s3Endpoint);
    s3Port.ifPresent(port -> p.setProperty("S3_PORT", "" + port));
    p.setProperty("OPENAI_URL", openAiUrl);
    fakeOpenAiPort.ifPresent(port -> p.setProperty("FAKE_OPENAI_PORT", "" + port));
    p.setProperty("WORKERS", "" + workers);
    containerEnvironment.forEach((name, value) -> p.setProperty(CONTAINER + name, value));
    try (Writer out = Files.newBufferedWriter(file)) {
      p.store(out, "written by scripts/stack up");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Optional<StackState> load(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      p.load(in);
      return Optional.of(
          new StackState(
              Integer.parseInt(p.getProperty("API_PORT", "0")),
              p.getProperty("API_URL", ""),
              p.getProperty("S3_ENDPOINT", ""),
              port(p.getProperty("S3_PORT")),
              p.getProperty("OPENAI_URL", ""),
              port(p.getProperty("FAKE_OPENAI_PORT")),
              Integer.parseInt(p.getProperty("WORKERS", "1")),
              containerEnvironment(p)));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty(); // unreadable: as if the stack had never been up
    }
  }

  private static Map<String, String> containerEnvironment(Properties p) {
    Map<String, String> env = new TreeMap<>();
    for (String name : p.stringPropertyNames()) {
      if (name.startsWith(CONTAINER)) {
        env.put(name.substring(CONTAINER.length()), p.getProperty(name));
      }
    }
    return env;
  }

  private static OptionalInt port(String value) {
    return value == null || value.isBlank()
        ? OptionalInt.empty()
        : OptionalInt.of(Integer.parseInt(value));
  }
}
