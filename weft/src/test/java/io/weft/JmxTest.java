package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.diag.Registry;
import io.weft.sync.Notify;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** Each executor's MBean: its counters and dumps while it is open, gone once it closes. */
class JmxTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    @Test
    void aLocalExecutorShowsItsCountersAndDumpsOverJmxWhileOpen() throws Exception {
        ObjectName name = new ObjectName("io.weft:type=Executor,name=jmx-local");
        Notify gate = Notify.create();
        try (var ex = LocalExecutor.builder().name("jmx-local").start()) {
            ex.spawn(() -> 1).await();
            var waiter = ex.spawn("jmx-waiter", () -> {
                gate.notified().await();
                return 2;
            });
            Registry.awaitJmx();
            assertThat(SERVER.isRegistered(name)).isTrue();
            assertThat(SERVER.getAttribute(name, "Name")).isEqualTo("jmx-local");
            assertThat((Long) SERVER.getAttribute(name, "Parks") - (Long) SERVER.getAttribute(name, "Unparks"))
                    .as("park/unpark parity: 0 or 1 parked").isBetween(0L, 1L);
            assertThat((Long) SERVER.getAttribute(name, "BudgetForcedYields")).isNotNegative();
            String dump;
            do {
                dump = (String) SERVER.invoke(name, "dumpTasks", null, null);
            } while (!dump.contains("State: SUSPENDED"));
            assertThat(dump).contains("\"jmx-waiter\"");
            // counted once the loop took it in: the dump above saw it suspended (a spawn from this thread is
            // admitted by the loop thread, so read right after spawn() the count could still be 1)
            assertThat((Long) SERVER.getAttribute(name, "TasksSpawned")).isGreaterThanOrEqualTo(2);
            assertThat((Long) SERVER.getAttribute(name, "TasksCompleted")).isGreaterThanOrEqualTo(1);
            assertThat((String) SERVER.invoke(name, "dumpTasksJson", null, null)).contains("\"name\":\"jmx-waiter\"");
            gate.notifyWaiters();
            assertThat(waiter.await()).isEqualTo(2);
        }
        Registry.awaitJmx();
        assertThat(SERVER.isRegistered(name)).as("unregistered at close").isFalse();
    }

    @Test
    void aStealingExecutorSumsItsWorkersAndTwoExecutorsOfOneNameGetTwoBeans() throws Exception {
        try (var a = StealingExecutor.builder().name("jmx-twin").workers(2).build();
             var b = StealingExecutor.builder().name("jmx-twin").workers(1).build()) {
            a.blockOn(() -> {
                for (int i = 0; i < 10; i++) {
                    Weft.spawn(() -> null).await();
                }
                return null;
            });
            b.blockOn(() -> 1);
            Registry.awaitJmx();
            ObjectName first = new ObjectName("io.weft:type=Executor,name=jmx-twin");
            ObjectName second = new ObjectName("io.weft:type=Executor,name=jmx-twin-2");
            assertThat(SERVER.isRegistered(first)).isTrue();
            assertThat(SERVER.isRegistered(second)).isTrue();
            long polls = (Long) SERVER.getAttribute(first, "Polls") + (Long) SERVER.getAttribute(second, "Polls");
            assertThat(polls).isGreaterThanOrEqualTo(12);
        }
        Registry.awaitJmx();
        assertThat(SERVER.queryNames(new ObjectName("io.weft:type=Executor,name=jmx-twin*"), null)).isEmpty();
    }

    /**
     * The MBean of an executor dropped without a close goes once the
     * executor is collected (the registry holds executors weakly, and the
     * bean stayed registered for good, reading zeros: one per dropped
     * executor).
     */
    @org.junit.jupiter.api.Test
    void theBeanOfAnExecutorDroppedWithoutACloseGoesOnceItIsCollected() throws Exception {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName pattern = new javax.management.ObjectName("io.weft:type=Executor,name=dropped*");
        for (int i = 0; i < 20; i++) {
            LocalExecutor.builder().name("dropped").build().run(() -> 1); // never closed
        }
        io.weft.diag.Registry.awaitJmx();
        assertThat(server.queryNames(pattern, null)).as("registered while they live").isNotEmpty();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (!server.queryNames(pattern, null).isEmpty() && System.nanoTime() < deadline) {
            System.gc();
            Weft.dumpAllTasks(); // the registry looks at what was collected
            io.weft.diag.Registry.awaitJmx();
        }
        assertThat(server.queryNames(pattern, null)).as("beans of collected executors").isEmpty();
    }
}
