package io.retouch.common.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The IANA special-purpose address blocks as data, read from {@code special-purpose-addresses.csv}
 * so that a registry update is a change to one file, with its source and date beside it.
 */
public final class SpecialPurposeRegistry {

  private static final String RESOURCE = "special-purpose-addresses.csv";
  private static final SpecialPurposeRegistry IANA = load();

  /** Longest prefix first, so the first match is the most specific row. */
  private final List<SpecialPurposeBlock> blocks;

  private SpecialPurposeRegistry(List<SpecialPurposeBlock> blocks) {
    this.blocks =
        blocks.stream()
            .sorted(Comparator.comparingInt((SpecialPurposeBlock b) -> b.block().bits()).reversed())
            .toList();
  }

  public static SpecialPurposeRegistry iana() {
    return IANA;
  }

  public List<SpecialPurposeBlock> blocks() {
    return blocks;
  }

  /** The most specific block holding {@code address}; empty for ordinary public unicast. */
  public Optional<SpecialPurposeBlock> match(InetAddress address) {
    return blocks.stream().filter(b -> b.block().contains(address)).findFirst();
  }

  private static SpecialPurposeRegistry load() {
    try (InputStream in =
            Objects.requireNonNull(
                SpecialPurposeRegistry.class.getResourceAsStream(RESOURCE), RESOURCE);
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      List<SpecialPurposeBlock> rows = new ArrayList<>();
      boolean header = true;
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        if (header) {
          header = false;
          continue;
        }
        String[] cells = line.split(",", -1);
        if (cells.length != 5) {
          throw new IllegalStateException(RESOURCE + ": expected 5 cells in " + line);
        }
        rows.add(
            new SpecialPurposeBlock(
                cells[0],
                AddressBlock.parse(cells[1]),
                SpecialPurposeBlock.Reachability.parse(cells[2]),
                cells[3],
                cells[4]));
      }
      return new SpecialPurposeRegistry(rows);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
