package dev.jdgram.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code jdgram bench}: its options are checked when parsed, before anything runs. */
class BenchCommandTest {
  @Test
  void benchPassesItsOptionsThrough() throws UsageException {
    assertEquals(
        new BenchCommand(List.of("--quick", "--runs", "1")),
        Command.fromArgs("bench", "--quick", "--runs", "1"));
    assertEquals(new BenchCommand(List.of()), Command.fromArgs("bench"));
  }

  @Test
  void badBenchOptionIsAUsageError() {
    UsageException e =
        assertThrows(UsageException.class, () -> Command.fromArgs("bench", "--subjects", "rust"));
    assertTrue(e.getMessage().contains("unknown subject 'rust'"), e.getMessage());
  }

  @Test
  void helpListsBench() {
    assertTrue(HelpCommand.USAGE.contains("bench [options]"));
  }
}
