/**
 * The parts of the work-stealing executor (issue 11; the executor itself is
 * still to come), each proven on its own.
 *
 * <h2>{@link io.weft.steal.LocalQueue}: a worker's run queue</h2>
 * <ul>
 *   <li><b>Threads.</b> One owner (the worker's thread) pushes and pops;
 *       any other worker's thread steals. {@code tail} is written by the
 *       owner alone (release) and read by thieves (acquire); {@code head}
 *       (two ints: {@code steal}, {@code real}) changes only by CAS, by the
 *       owner's pop and overflow and by a thief's claim and give-back. The
 *       slots are plain: the owner writes slot {@code tail} before releasing
 *       {@code tail}, a thief reads its claimed slots before the CAS that
 *       gives them back, and the owner refills a slot only after its acquire
 *       of {@code head} shows it given back.</li>
 *   <li><b>States of a slot index {@code i}</b> (in ring order):
 *       {@code [steal, real)} claimed by one thief and being copied;
 *       {@code [real, tail)} queued, handed out by the owner's pop (CAS of
 *       {@code real}) or claimed by a thief (CAS of {@code real}, only when
 *       no other claim is open: {@code steal == real}); the rest free. At
 *       most one claim is open at a time, so a second thief backs off.</li>
 *   <li><b>Who owns a task.</b> A queued task belongs to the queue. The
 *       CAS that moves {@code real} past it gives it to the owner's pop or to
 *       the claiming thief, who puts it into its own queue (or runs it); the
 *       owner's overflow CAS gives half the queue to the shared queue. A
 *       task is therefore in exactly one queue or in one thread's hands,
 *       which {@code weft-jcstress}'s {@code LocalQueueTest} checks (owner
 *       against a thief, a full push against a thief, two thieves: each task
 *       exactly once, capacity 4, across the wrap of the ring and of the
 *       int indices) and Lincheck checks against a sequential deque.</li>
 * </ul>
 */
package io.weft.steal;
