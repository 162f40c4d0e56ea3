package dev.jdgram.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux says about a descriptor of this process in {@code /proc/self}: whether one that {@code
 * bind({fd})} adopts blocks, and when one that io_uring closes is really closed.
 */
final class Descriptors {
  /** {@code O_NONBLOCK} in the octal {@code flags:} line of fdinfo. */
  private static final int O_NONBLOCK = 04000;

  private Descriptors() {}

  /**
   * What the descriptor is now, as {@code /proc/self/fd} names it ({@code socket:[inode]}), or null
   * if it is closed: a different answer later means the descriptor was closed meanwhile, even if
   * its number was given to another file since.
   */
  static String identity(int fd) {
    try {
      return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  /**
   * Whether the descriptor is in blocking mode (no {@code O_NONBLOCK}), as a JDK channel's and most
   * inherited descriptors are. Where fdinfo cannot be read, it is taken to be blocking: reading a
   * non-blocking descriptor as if it blocked costs speed, the other way round a stuck loop.
   */
  static boolean isBlocking(int fd) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
        if (line.startsWith("flags:")) {
          int flags = Integer.parseInt(line.substring("flags:".length()).trim(), 8);
          return (flags & O_NONBLOCK) == 0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // no fdinfo (not Linux's procfs, or the descriptor is gone): assume the worst
    }
    return true;
  }
}
