package dev.jdgram.cli;

/**
 * The command line cannot be run as given: an unknown command, a missing or extra argument, or a
 * bad port. The message is one line, without the {@code jdgram: } prefix.
 */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates a usage error.
   *
   * @param message what is wrong, in one line
   */
  public UsageException(String message) {
    super(message);
  }
}
