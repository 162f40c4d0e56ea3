package dev.jdgram;

/**
 * A typed event key of {@link DgramSocket}: one of {@link DgramSocket#CLOSE}, {@link
 * DgramSocket#CONNECT}, {@link DgramSocket#ERROR}, {@link DgramSocket#LISTENING} and {@link
 * DgramSocket#MESSAGE}.
 *
 * @param <L> the listener type of the event
 * @since 0.1.0
 */
public final class Event<L> {
  private final String name;
  private final Class<L> listenerType;
  private final int index;

  Event(String name, Class<L> listenerType, int index) {
    this.name = name;
    this.listenerType = listenerType;
    this.index = index;
  }

  /**
   * Returns Node's name of the event.
   *
   * @return the name, such as {@code "message"}
   */
  public String name() {
    return name;
  }

  /**
   * Returns the type of this event's listeners.
   *
   * @return the listener type
   */
  public Class<L> listenerType() {
    return listenerType;
  }

  int index() {
    return index;
  }

  @Override
  public String toString() {
    return name;
  }
}
