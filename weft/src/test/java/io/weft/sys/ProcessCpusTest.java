package io.weft.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProcessCpusTest {

    @Test
    void countsTheCpusOfTheAllowedList() {
        assertThat(ProcessCpus.countIn("Name:\tjava\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\nMems_allowed:\t1\n"))
                .isEqualTo(2);
        assertThat(ProcessCpus.countIn("Cpus_allowed_list:\t0-3,8,10-11\n")).isEqualTo(7);
        assertThat(ProcessCpus.countIn("Cpus_allowed_list:\t5")).isEqualTo(1);
    }

    @Test
    void aMissingOrBrokenListCountsNothing() {
        assertThat(ProcessCpus.countIn("Name:\tjava\n")).isZero();
        assertThat(ProcessCpus.countIn("Cpus_allowed_list:\t\n")).isZero();
        assertThat(ProcessCpus.countIn("Cpus_allowed_list:\t0-x\n")).isZero();
        assertThat(ProcessCpus.countIn("Cpus_allowed_list:\t3-1\n")).isZero();
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
}
