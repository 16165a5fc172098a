package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** await() on a plain thread is not interruptible (as CompletableFuture.join()): an interrupt is kept for the caller. */
class BlockOnInterruptTest {

    @Test
    void anInterruptedPlainThreadStillWaitsForTheValueAndKeepsItsInterrupt() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        CountDownLatch firstPoll = new CountDownLatch(1);
        Waker[] waker = new Waker[1];
        boolean[] ready = new boolean[1];
        Future<String> gate = cx -> {
            polls.incrementAndGet();
            synchronized (waker) {
                if (ready[0]) {
                    return Poll.ready("open");
                }
                waker[0] = cx.waker();
            }
            firstPoll.countDown();
            return Poll.pending();
        };
        String[] got = new String[1];
        boolean[] interruptedAfter = new boolean[1];
        Thread t = Thread.ofPlatform().start(() -> {
            Thread.currentThread().interrupt();
            got[0] = gate.await();
            interruptedAfter[0] = Thread.currentThread().isInterrupted();
        });
        firstPoll.await();
        synchronized (waker) {
            ready[0] = true;
        }
        waker[0].wake();
        t.join();
        assertThat(got[0]).isEqualTo("open");
        assertThat(interruptedAfter[0]).isTrue();
        assertThat(polls.get()).isEqualTo(2); // one pending poll, one after the wake: no busy loop of polls
    }
}
