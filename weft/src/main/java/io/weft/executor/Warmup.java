package io.weft.executor;

import io.weft.coro.CoroutineTask;
import io.weft.coro.Coroutines;
import io.weft.task.Budget;
import io.weft.task.Task;
import io.weft.task.TaskOwner;
import java.util.ArrayDeque;

/**
 * Once per JVM, before the first executor runs a task: a few thousand
 * suspensions and resumptions of a coroutine task, driven on the calling
 * thread with an owner of its own, so that the JIT's profile of
 * {@code CoroutineTask.await} includes what follows a suspension (both a
 * value and a throw) before it compiles that method. The future awaited is
 * {@link YieldNow}, weft's own, so that the warm-up adds no type of its own
 * to the profiles of the call sites it runs through.
 *
 * <p>Why: a program's first burst may suspend a million tasks before any
 * resumes; {@code await} then gets compiled with no profile for the code
 * after the suspension point, which the JIT compiles as "never reached"
 * (an uncommon trap), and every one of the million frozen frames,
 * compiled that way, deoptimizes when it resumes: seconds of
 * deoptimization in a fresh JVM (7-10 s for a million {@code yieldNow}
 * tasks here, against about 1 s once warm). With the profile in place the
 * resumed frames run compiled code. A few milliseconds, once; see the
 * {@code io.weft.coro} package comment.
 */
final class Warmup {
    private Warmup() {
    }

    /** Awaits per warm-up task: enough for the JIT to profile (tier 3) and compile (tier 4) await. */
    private static final int AWAITS = 20_000;

    private static volatile boolean done;

    static void ensure() {
        if (!done) {
            synchronized (Warmup.class) {
                if (!done) {
                    done = true;
                    try {
                        run();
                    } catch (RuntimeException e) {
                        // Only a speed-up: an executor works without it.
                        System.getLogger("io.weft").log(System.Logger.Level.DEBUG, "JIT warm-up of await failed", e);
                    }
                }
            }
        }
    }

    /** Runs its tasks on the calling thread, in the order they are woken. */
    private static final class Owner implements TaskOwner {
        final ArrayDeque<Task<?>> runnable = new ArrayDeque<>();
        final Budget budget = new Budget();

        @Override
        public void schedule(Task<?> task) {
            runnable.add(task);
        }

        @Override
        public boolean inLoop() {
            return true; // only ever used on the calling thread
        }

        @Override
        public void suspended(Task<?> task) {
        }

        @Override
        public Budget budget() {
            return budget;
        }

        @Override
        public void completed(Task<?> task) {
        }

        @Override
        public void failedUnobserved(Task<?> task, Throwable error) {
        }

        void drain() {
            Task<?> t;
            while ((t = runnable.poll()) != null) {
                budget.reset();
                t.turn();
            }
        }
    }

    private static void run() {
        if (!Coroutines.AVAILABLE) {
            return;
        }
        Owner owner = new Owner();
        owner.schedule(new CoroutineTask<>(owner, "weft-warmup", () -> {
            for (int i = 0; i < AWAITS; i++) {
                new YieldNow().await(); // suspends (it wakes itself), then resumes with a value
            }
            return null;
        }));
        owner.drain();
        // A throw after a suspension: tasks aborted while they wait.
        for (int i = 0; i < AWAITS / 10; i++) {
            CoroutineTask<Object> aborted = new CoroutineTask<>(owner, "weft-warmup", () -> new YieldNow().await());
            owner.schedule(aborted);
            Task<?> t = owner.runnable.poll();
            owner.budget.reset();
            t.turn(); // suspended in await, queued again by its own wake
            aborted.abort(); // the next turn resumes its await with TaskCancelledException
            owner.drain();
        }
    }
}
