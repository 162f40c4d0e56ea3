package dev.jdgram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The command is a user of the benchmark like any other: its main code reaches jdgram-bench only
 * through the module's entry point, {@code dev.jdgram.bench.Bench}.
 */
class BenchEntryPointTest {
  private static final Pattern BENCH_REFERENCE = Pattern.compile("dev\\.jdgram\\.bench\\.[\\w.]+");

  @Test
  void mainCodeUsesNothingOfTheBenchButItsEntryPoint() throws IOException {
    Path sources = Path.of("src", "main", "java");
    assertTrue(Files.isDirectory(sources), "run from jdgram-cli: " + sources.toAbsolutePath());
    List<String> others = new ArrayList<>();
    int files = 0;
    try (Stream<Path> walk = Files.walk(sources)) {
      for (Path file : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
        files++;
        Matcher m = BENCH_REFERENCE.matcher(Files.readString(file));
        while (m.find()) {
          if (!m.group().equals("dev.jdgram.bench.Bench")) {
            others.add(file.getFileName() + ": " + m.group());
          }
        }
      }
    }
    assertTrue(files > 10, "found only " + files + " source files");
    assertEquals(List.of(), others);
  }
}
