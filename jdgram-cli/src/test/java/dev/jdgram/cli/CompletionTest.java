package dev.jdgram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jdgram completion}: the script it prints, loaded into a real bash and asked to complete
 * command lines as the shell would on Tab.
 */
class CompletionTest {
  private static final long TIMEOUT_SECONDS = 30;

  @TempDir static Path dir;
  private static Path script;

  @BeforeAll
  static void printTheScript() throws Exception {
    LineCapture out = new LineCapture();
    LineCapture err = new LineCapture();
    assertEquals(0, Main.run(out.stream(), err.stream(), "completion"));
    assertEquals(List.of(), err.lines());
    script = dir.resolve("jdgram-completion.bash");
    Files.writeString(script, out.text(), StandardCharsets.UTF_8);
  }

  @Test
  void theScriptRegistersACompletionForJdgram() throws IOException {
    String text = Files.readString(script);
    assertTrue(text.startsWith("#!/usr/bin/env bash"), text.lines().findFirst().orElse(""));
    assertTrue(text.contains("complete -F _complete_jdgram"), "no 'complete' line");
    assertTrue(text.indexOf('\0') < 0, "a NUL in the script");
  }

  @Test
  void bashCompletesTheCommands() throws Exception {
    assertEquals(
        List.of("listen", "send", "echo", "multicast", "bench", "soak", "completion", "help"),
        complete("jdgram", ""));
    assertEquals(List.of("multicast"), complete("jdgram", "mu"));
  }

  @Test
  void bashCompletesACommandsOptions() throws Exception {
    assertEquals(
        List.of("--multicast-ttl", "--multicast-interface"),
        complete("jdgram", "send", "hi", "--mu"));
    assertEquals(List.of("--iface"), complete("jdgram", "multicast", "--if"));
  }

  @Test
  void bashCompletesBenchsOptionsAndTheirValues() throws Exception {
    assertEquals(List.of("--subjects"), complete("jdgram", "bench", "--su"));
    assertEquals(
        List.of("jdgram-epoll", "jdgram-nio", "jdgram-io_uring", "node", "netty", "ceiling"),
        complete("jdgram", "bench", "--subjects", ""));
    assertEquals(List.of("recv"), complete("jdgram", "bench", "--workloads", "re"));
    assertEquals(List.of("coldstart"), complete("jdgram", "bench", "--workloads", "co"));
  }

  /** Loads the script into bash and returns what it offers for the last of {@code words}. */
  private static List<String> complete(String... words) throws Exception {
    Path bash = Path.of("/bin/bash");
    assumeTrue(Files.isExecutable(bash), "no bash here");
    StringBuilder driver = new StringBuilder();
    driver.append("source '").append(script).append("'\n");
    driver.append("COMP_WORDS=(");
    for (String word : words) {
      driver.append('\'').append(word).append("' ");
    }
    driver.append(")\n");
    driver.append("COMP_CWORD=").append(words.length - 1).append('\n');
    driver.append("COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}\n");
    // compopt works only inside a real completion; the script calls it only to set file modes.
    driver.append("compopt() { :; }\n");
    driver.append("_complete_jdgram\n");
    driver.append("printf '%s\\n' \"${COMPREPLY[@]}\"\n");
    Path file = dir.resolve("driver.bash");
    Files.writeString(file, driver.toString(), StandardCharsets.UTF_8);

    Process process =
        new ProcessBuilder(bash.toString(), "--norc", "--noprofile", file.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "bash did not finish");
    assertEquals(0, process.exitValue(), "bash's exit status; output: " + output);
    List<String> offered = new ArrayList<>();
    output.lines().filter(line -> !line.isEmpty()).forEach(offered::add);
    return offered;
  }
}
