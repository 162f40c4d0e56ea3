package dev.jdgram.bench;

/**
 * A measurement that could not be made: a subject failed, timed out or said something unexpected.
 */
public final class BenchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong
   */
  public BenchException(String message) {
    super(message);
  }
}
