package io.weft.bench;

/**
 * Moves what a trial set up (executors, pools, queues) to the old generation
 * before measuring, as in a server where they are long-lived. Why: under G1 a
 * store of a young object's reference into an old object takes the slow path
 * of the post-write barrier (a StoreLoad fence, a card mark); an executor
 * that is still young when measuring starts skips it, and gets slower ~10 s
 * later when ~15 young GCs have tenured it, in the middle of a measurement.
 * A full GC (System.gc() under G1 and Parallel) tenures it at once.
 */
final class Tenure {
    private Tenure() {
    }

    static void now() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
    }
}
