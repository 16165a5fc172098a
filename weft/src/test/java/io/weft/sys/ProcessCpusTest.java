package io.weft.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProcessCpusTest {

    @Test
    void countsTheCpusOfTheMaskThatAreOnline() {
        String status = "Name:\tjava\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\nMems_allowed:\t1\n";
        assertThat(ProcessCpus.countOf(status, "0-1\n")).isEqualTo(2);
        assertThat(ProcessCpus.countOf("Cpus_allowed_list:\t0-3,8,10-11\n", "0-15")).isEqualTo(7);
        assertThat(ProcessCpus.countOf("Cpus_allowed_list:\t5", "0-7")).isEqualTo(1);
    }

    /** A VM that allows hot-plugged CPUs gives a mask of all of them: only the online ones count. */
    @Test
    void cpusOfTheMaskThatAreNotOnlineDoNotCount() {
        assertThat(ProcessCpus.countOf("Cpus_allowed_list:\t0-127\n", "0-3\n")).isEqualTo(4);
        assertThat(ProcessCpus.countOf("Cpus_allowed_list:\t0-7\n", "0,2-3,6\n")).isEqualTo(4);
    }

    @Test
    void aMissingOrBrokenListCountsNothing() {
        assertThat(ProcessCpus.countOf("Name:\tjava\n", "0-1")).isZero();
        assertThat(ProcessCpus.countOf("Cpus_allowed_list:\t\n", "0-1")).isZero();
        assertThat(ProcessCpus.countOf("Cpus_allowed_list:\t0-x\n", "0-1")).isZero();
        assertThat(ProcessCpus.countOf("Cpus_allowed_list:\t3-1\n", "0-7")).isZero();
        assertThat(ProcessCpus.countOf("Cpus_allowed_list:\t0-1\n", null)).isZero();
        assertThat(ProcessCpus.countOf(null, "0-1")).isZero();
    }

    /** The same answer as the system call, also from a thread pinned to one CPU (the process's mask, not the thread's). */
    @Test
    void agreesWithSchedGetaffinityOfTheProcessAlsoOnAPinnedThread() throws Exception {
        int expected = Affinity.process().length;
        assertThat(ProcessCpus.count()).isEqualTo(expected);
        AtomicInteger onPinned = new AtomicInteger();
        Thread t = new Thread(() -> {
            Affinity.pin(Affinity.current()[0]);
            onPinned.set(ProcessCpus.count());
        });
        t.start();
        t.join();
        assertThat(onPinned.get()).isEqualTo(expected);
    }

    /** What a helper thread asks before it widens its mask: true on a thread as the process made it, false once pinned. */
    @Test
    void aThreadHasTheProcessMaskUntilItIsPinned() throws Exception {
        int[] all = Affinity.process();
        org.junit.jupiter.api.Assumptions.assumeTrue(all.length >= 2, "needs two CPUs");
        AtomicBoolean before = new AtomicBoolean();
        AtomicBoolean pinned = new AtomicBoolean(true);
        Thread t = new Thread(() -> {
            before.set(ProcessCpus.threadHasProcessMask());
            Affinity.pin(all[0]);
            pinned.set(ProcessCpus.threadHasProcessMask());
        });
        t.start();
        t.join();
        assertThat(before).isTrue();
        assertThat(pinned).isFalse();
    }
}
