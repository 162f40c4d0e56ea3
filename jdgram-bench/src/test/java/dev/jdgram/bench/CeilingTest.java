package dev.jdgram.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ceiling is built with the system's gcc, and skipped, in one line, where it cannot be. */
class CeilingTest {
  @Test
  void withoutGccOnThePathTheCeilingIsSkippedInOneLine(@TempDir Path dir) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Path binary;
    try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      binary = Ceiling.build(dir.resolve("ceiling"), ps, dir.toString());
    }
    assertNull(binary);
    assertEquals("ceiling: skipped, no gcc\n", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aGccThatFailsSkipsTheCeilingAndSaysWhy(@TempDir Path dir) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path gcc = bin.resolve("gcc");
    Files.writeString(gcc, "#!/bin/sh\necho 'gcc: fatal error: no input' >&2\nexit 4\n");
    Files.setPosixFilePermissions(gcc, PosixFilePermissions.fromString("rwxr-xr-x"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Path binary;
    try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      binary = Ceiling.build(dir.resolve("ceiling"), ps, bin.toString());
    }
    assertNull(binary);
    String line = out.toString(StandardCharsets.UTF_8);
    assertTrue(line.startsWith("ceiling: skipped, gcc exited 4: gcc: fatal error: no input"), line);
    assertTrue(Files.isRegularFile(dir.resolve("ceiling").resolve("ceiling.c")));
  }

  @Test
  void gccIsLookedUpInEveryDirectoryOfThePath(@TempDir Path dir) throws Exception {
    Path second = Files.createDirectories(dir.resolve("second"));
    Path gcc = second.resolve("gcc");
    Files.writeString(gcc, "#!/bin/sh\n");
    Files.setPosixFilePermissions(gcc, PosixFilePermissions.fromString("rwxr-xr-x"));
    String path = dir.resolve("missing") + ":" + dir.resolve("first") + ":" + second;
    assertEquals(gcc, Ceiling.find("gcc", path));
    assertNull(Ceiling.find("gcc", ""));
  }
}
