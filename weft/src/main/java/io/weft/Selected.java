package io.weft;

/**
 * The winner of {@link Futures#select}: the position of the future that
 * finished first among the arguments (0-based), and its value.
 */
public record Selected<T>(int index, T value) {
}
