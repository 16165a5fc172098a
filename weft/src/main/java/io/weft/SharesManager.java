package io.weft;

/**
 * Supplies a queue's shares when they change over time (for example from a
 * controller that watches a backlog). Called on the executor's thread, when
 * the queue is created and at most every 250 ms after; an answer outside
 * 1..1000 is clamped.
 */
@FunctionalInterface
public interface SharesManager {
    int shares();
}
