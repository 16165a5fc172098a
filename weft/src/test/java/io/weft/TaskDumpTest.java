package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.sync.Notify;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Task dumps on every executor kind: what each live task is, and where a
 * suspended one waits, read where it cannot resume meanwhile; from a task
 * of the executor, from another thread, and of an executor stuck in a task
 * that never yields.
 */
class TaskDumpTest {

    static void c(Notify gate) {
        gate.notified().await();
    }

    static void b(Notify gate) {
        c(gate);
    }

    static void a(Notify gate) {
        b(gate);
    }

    /** Spawns three named tasks suspended in a -> b -> c; returns once a dump shows all three there. */
    static List<JoinHandle<Object>> suspendThreeInABC(Notify gate, Supplier<List<TaskInfo>> dump) {
        List<JoinHandle<Object>> hs = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            hs.add(Weft.spawn("waiter-" + i, () -> {
                a(gate);
                return null;
            }));
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (waitersInC(dump.get()).size() < 3) {
            assertThat(System.nanoTime()).as("the three tasks suspend in c within 10 s").isLessThan(deadline);
            Weft.yieldNow().await();
        }
        return hs;
    }

    static List<TaskInfo> waitersInC(List<TaskInfo> dump) {
        return dump.stream().filter(t -> t.name() != null && t.name().startsWith("waiter-"))
                .filter(t -> t.state() == TaskInfo.State.SUSPENDED && t.stack().length > 0
                        && Arrays.stream(t.stack()).anyMatch(f -> f.getMethodName().equals("c")))
                .toList();
    }

    static void assertSuspendedInABC(TaskInfo t) {
        List<String> methods = Arrays.stream(t.stack()).map(StackTraceElement::getMethodName).toList();
        int c = methods.indexOf("c");
        assertThat(c).as("c is near the top of %s", methods).isBetween(0, 2);
        assertThat(methods.subList(c, c + 3)).as("innermost first").containsExactly("c", "b", "a");
        assertThat(t.stack()[c].getClassName()).isEqualTo(TaskDumpTest.class.getName());
        assertThat(t.polls()).isGreaterThanOrEqualTo(1);
        assertThat(t.id()).isPositive();
        assertThat(t.age().isNegative()).isFalse();
        assertThat(t.queue()).isEqualTo("default");
    }

    @EveryKind
    void threeTasksSuspendedInABCShowThoseFramesWhenTheirExecutorDumpsFromATask(ExecutorKind kind) {
        try (var ex = kind.open()) {
            List<TaskInfo> dump = ex.run(() -> {
                Notify gate = Notify.create();
                var hs = suspendThreeInABC(gate, ex::dumpTasks);
                List<TaskInfo> d = ex.dumpTasks();
                gate.notifyWaiters();
                for (var h : hs) {
                    h.await();
                }
                return d;
            });
            List<TaskInfo> waiters = waitersInC(dump);
            assertThat(waiters).extracting(TaskInfo::name)
                    .containsExactlyInAnyOrder("waiter-1", "waiter-2", "waiter-3");
            waiters.forEach(TaskDumpTest::assertSuspendedInABC);
            TaskInfo me = dump.stream().filter(t -> t.state() == TaskInfo.State.RUNNING).findFirst().orElseThrow();
            assertThat(me.stack()).as("the dumping task's own stack, from its call down to its body").isNotEmpty();
            assertThat(me.stack()[0].getClassName()).as("cut below the dump call").doesNotStartWith("io.weft.diag");
            assertThat(Arrays.stream(me.stack()).map(StackTraceElement::getClassName))
                    .anyMatch(c -> c.startsWith(TaskDumpTest.class.getName()));
        }
    }

    @EveryKind
    void aDumpFromAnotherThreadShowsTheSameWhileTheExecutorRuns(ExecutorKind kind) {
        try (var ex = kind.open()) {
            List<TaskInfo> dump = ex.run(() -> {
                Notify gate = Notify.create();
                var hs = suspendThreeInABC(gate, ex::dumpTasks);
                List<TaskInfo> d = Weft.spawnBlocking(ex::dumpTasks).await(); // asked from a pool thread
                gate.notifyWaiters();
                for (var h : hs) {
                    h.await();
                }
                return d;
            });
            List<TaskInfo> waiters = waitersInC(dump);
            assertThat(waiters).hasSize(3);
            waiters.forEach(TaskDumpTest::assertSuspendedInABC);
            assertThat(dump).as("nothing runs while a loop answers a dump").noneMatch(
                    t -> t.state() == TaskInfo.State.RUNNING);
            String text = TaskInfo.toText(dump);
            assertThat(text).contains("\"waiter-1\"").contains("State: SUSPENDED")
                    .contains("at " + TaskDumpTest.class.getName() + ".c(");
            String json = TaskInfo.toJson(dump);
            assertThat(json).startsWith("{\"tasks\":[").endsWith("]}").contains("\"name\":\"waiter-2\"")
                    .contains("\"state\":\"SUSPENDED\"");
        }
    }

    static void spinUntil(AtomicBoolean stop) {
        while (!stop.get()) {
            Thread.onSpinWait();
        }
    }

    /**
     * A dump of {@code ex} asked from a pool thread while a task named
     * "spinner" holds an executor thread without yielding (it stops once the
     * dump has returned).
     */
    static List<TaskInfo> dumpWhileStuck(ExecutorKind.Running ex) {
        AtomicBoolean started = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        return ex.run(() -> {
            var spinner = Weft.spawn("spinner", () -> {
                started.set(true);
                spinUntil(stop);
                return null;
            });
            List<TaskInfo> seen = Weft.spawnBlocking(() -> {
                try {
                    while (!started.get()) {
                        Thread.onSpinWait();
                    }
                    return ex.dumpTasks();
                } finally {
                    stop.set(true);
                }
            }).await();
            spinner.await();
            return seen;
        });
    }

    @EveryKind
    void aDumpOfAnExecutorStuckInATaskReturnsWithThatTaskRunning(ExecutorKind kind) {
        try (var ex = kind.open()) {
            // a LocalExecutor without stall detection shows the stuck task by its id (no name): see TaskDumps
            TaskInfo spinner = dumpWhileStuck(ex).stream().filter(t -> t.state() == TaskInfo.State.RUNNING)
                    .findFirst().orElseThrow();
            assertThat(spinner.id()).isPositive();
            assertThat(spinner.name()).isIn("spinner", null);
            assertThat(Arrays.stream(spinner.stack()).map(StackTraceElement::getMethodName)).contains("spinUntil");
        }
    }

    @EveryKind
    void withStallDetectionOnAStuckTaskIsShownWithItsName(ExecutorKind kind) {
        try (var ex = kind.open(new ExecutorKind.Settings(null, java.time.Duration.ofSeconds(30), s -> { }))) {
            TaskInfo spinner = dumpWhileStuck(ex).stream().filter(t -> t.state() == TaskInfo.State.RUNNING)
                    .findFirst().orElseThrow();
            assertThat(spinner.name()).isEqualTo("spinner");
            assertThat(spinner.queue()).isEqualTo("default");
        }
    }

    @EveryKind
    void dumpingFromAnotherThreadWhileTasksSuspendAndResumeNeverFails(ExecutorKind kind) throws Exception {
        long runNanos = 2_500_000_000L; // 10 s in all over the four kinds
        try (var ex = kind.open()) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            int[] dumps = {0};
            Thread dumper = Thread.ofPlatform().start(() -> {
                try {
                    while (!stop.get()) {
                        for (TaskInfo t : ex.dumpTasks()) {
                            assertThat(t.state()).isNotNull();
                            assertThat(t.stack()).isNotNull();
                        }
                        dumps[0]++;
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            });
            long rounds = ex.run(() -> {
                List<JoinHandle<Long>> hs = new ArrayList<>();
                long end = System.nanoTime() + runNanos;
                for (int i = 0; i < 16; i++) {
                    int me = i;
                    hs.add(Weft.spawn(() -> {
                        long n = 0;
                        while (System.nanoTime() - end < 0) {
                            a2(me);
                            n++;
                        }
                        return n;
                    }));
                }
                long total = 0;
                for (var h : hs) {
                    total += h.await();
                }
                return total;
            });
            stop.set(true);
            dumper.join();
            assertThat(failed.get()).isNull();
            assertThat(dumps[0]).as("dumps taken").isPositive();
            assertThat(rounds).isPositive();
        }
    }

    /** Suspends and resumes at a few depths: a yield, a sleep of zero, a yield in a nested frame. */
    static void a2(int i) {
        Weft.yieldNow().await();
        if (i % 2 == 0) {
            Weft.sleep(java.time.Duration.ZERO).await();
        }
        b2();
    }

    static void b2() {
        Weft.yieldNow().await();
    }

    @Test
    void aDumpThatHoldsAnIdleExecutorsLoopForAMomentNeverMakesRunFail() throws Exception {
        try (var ex = LocalExecutor.create()) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread dumper = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    ex.dumpTasks(); // no loop runs between the runs below: the dump takes it for its read
                }
            });
            try {
                for (int i = 0; i < 2_000; i++) {
                    int v = i;
                    assertThat(ex.run(() -> v)).isEqualTo(v); // threw "already running" while a dump held the loop
                }
            } finally {
                stop.set(true);
                dumper.join();
            }
        }
    }

    @Test
    void dumpAllTasksListsTheTasksOfEveryExecutorInTheProcess() throws Exception {
        try (var local = LocalExecutor.builder().name("dump-local").start();
             var stealing = StealingExecutor.builder().name("dump-steal").workers(2).build()) {
            Notify gate = Notify.create();
            var h1 = local.spawn("in-local", () -> {
                gate.notified().await();
                return 1;
            });
            var h2 = stealing.spawn(() -> Weft.spawn("in-stealing", () -> {
                gate.notified().await();
                return 2;
            }).await());
            long deadline = System.nanoTime() + 10_000_000_000L;
            List<TaskInfo> all;
            do {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.onSpinWait();
                all = Weft.dumpAllTasks();
            } while (all.stream().filter(t -> t.state() == TaskInfo.State.SUSPENDED
                    && ("in-local".equals(t.name()) || "in-stealing".equals(t.name()))).count() < 2);
            assertThat(all).anyMatch(t -> "in-local".equals(t.name()) && t.executor().equals("dump-local"));
            assertThat(all).anyMatch(t -> "in-stealing".equals(t.name()) && t.executor().startsWith("dump-steal-"));
            gate.notifyWaiters();
            assertThat(h1.await()).isEqualTo(1);
            assertThat(h2.await()).isEqualTo(2);
        }
    }

    @Test
    void tenThousandSuspendedTasksAreAllInTheDump() {
        try (var ex = LocalExecutor.create()) {
            int n = ex.run(() -> {
                Notify gate = Notify.create();
                List<JoinHandle<Object>> hs = new ArrayList<>();
                for (int i = 0; i < 10_000; i++) {
                    hs.add(Weft.spawn(() -> {
                        gate.notified().await();
                        return null;
                    }));
                }
                Weft.yieldNow().await(); // they all run once and suspend
                int suspended = (int) Weft.spawnBlocking(ex::dumpTasks).await().stream()
                        .filter(t -> t.state() == TaskInfo.State.SUSPENDED && t.stack().length > 0).count();
                gate.notifyWaiters();
                for (var h : hs) {
                    h.await();
                }
                return suspended;
            });
            assertThat(n).as("the 10,000 and the root, which awaits the dump").isEqualTo(10_001);
        }
    }

    /**
     * A dump that cannot be had (the executor's loop is not running, and the
     * asking thread cannot take it: a virtual thread) says so, naming the
     * executor, instead of an empty list that reads as "no tasks".
     */
    @org.junit.jupiter.api.Test
    void aDumpThatCannotBeHadSaysSoInsteadOfAnEmptyList() throws Exception {
        try (var ex = LocalExecutor.builder().name("idle-loop").build()) {
            ex.run(() -> {
                Weft.spawn(() -> Weft.sleep(java.time.Duration.ofHours(1)).await());
                return 0;
            });
            java.util.concurrent.atomic.AtomicReference<Object> got = new java.util.concurrent.atomic.AtomicReference<>();
            Thread.ofVirtual().start(() -> {
                try {
                    got.set(ex.dumpTasks());
                } catch (RuntimeException e) {
                    got.set(e);
                }
            }).join();
            assertThat(got.get()).isInstanceOf(IllegalStateException.class);
            assertThat(((Throwable) got.get()).getMessage()).contains("idle-loop");
            assertThat(ex.dumpTasks()).as("from a platform thread, which takes the loop").hasSize(1);
        }
    }
}
