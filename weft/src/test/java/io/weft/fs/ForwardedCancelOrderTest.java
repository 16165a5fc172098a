package io.weft.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Future;
import io.weft.JoinHandle;
import io.weft.OtherWorker;
import io.weft.Poll;
import io.weft.StealingExecutor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A write of a file used from another worker runs on the file's worker
 * ({@code FromAnotherWorker}); a caller that gives it up and writes again
 * must have the first one cancelled there before the second is made, or the
 * second does not wait for the first (the drivers hold a later write behind
 * a cancelled one still in flight, not behind one still running), and the
 * given-up bytes can land last. Here the file's worker is made to poll the
 * first write at the moment the caller gives it up, the narrow case: its
 * cancellation then came after the second write was made.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ForwardedCancelOrderTest {

    @Test
    void aWriteGivenUpWhileItsWorkerPollsItIsCancelledThereBeforeTheNextWriteIsMade() {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch inFirstMake = new CountDownLatch(1);
        CountDownLatch secondSent = new CountDownLatch(1);
        try (StealingExecutor ex = StealingExecutor.builder().workers(2).name("steal-fwdcancel").build()) {
            ex.blockOn(() -> {
                File f = new File(new LoggingHandle(events, inFirstMake, secondSent)); // belongs to this worker
                JoinHandle<Integer> caller = OtherWorker.spawn(() -> {
                    CancellableFuture<Integer> first = f.writeAt(ascii("AAAA"), 0);
                    pollOnce(first); // sent to the file's worker
                    assertThat(inFirstMake.await(10, TimeUnit.SECONDS)).as("the file's worker polls it").isTrue();
                    first.cancel(); // while that poll runs
                    CancellableFuture<Integer> second = f.writeAt(ascii("BBBB"), 0);
                    pollOnce(second); // sent too, before that poll ends
                    secondSent.countDown();
                    return second.await();
                });
                assertThat(caller.await()).isEqualTo(4);
                return null;
            });
        }
        assertThat(events).containsExactly("make AAAA", "cancel AAAA", "make BBBB");
    }

    /** Polls {@code f} once in the calling task (it is pending): an operation forwarded is sent on its way. */
    private static void pollOnce(CancellableFuture<Integer> f) {
        new Future<Void>() {
            @Override
            public Poll<Void> poll(Context cx) {
                assertThat(f.poll(cx).isReady()).isFalse();
                return Poll.ready(null);
            }
        }.await();
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A file whose writes log when they are made and cancelled: the first is
     * made only once its caller has given it up and sent the next write (the
     * file's worker waits in its poll), and stays in flight until cancelled;
     * later ones end at once.
     */
    private static final class LoggingHandle extends StubFileHandle {
        private final List<String> events;
        private final CountDownLatch inFirstMake;
        private final CountDownLatch secondSent;

        LoggingHandle(List<String> events, CountDownLatch inFirstMake, CountDownLatch secondSent) {
            super("logging");
            this.events = events;
            this.inFirstMake = inFirstMake;
            this.secondSent = secondSent;
        }

        @Override
        public CancellableFuture<Integer> writeAt(ByteBuffer src, long position) {
            String what = StandardCharsets.US_ASCII.decode(src.duplicate()).toString();
            events.add("make " + what);
            if (inFirstMake.getCount() == 0) {
                int n = src.remaining();
                return new CancellableFuture<>() {
                    @Override
                    public Poll<Integer> poll(Context cx) {
                        return Poll.ready(n);
                    }

                    @Override
                    public void cancel() {
                    }
                };
            }
            inFirstMake.countDown();
            try {
                assertThat(secondSent.await(10, TimeUnit.SECONDS)).as("the caller gives it up and writes again").isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return new CancellableFuture<>() {
                @Override
                public Poll<Integer> poll(Context cx) {
                    return Poll.pending(); // in flight until cancelled
                }

                @Override
                public void cancel() {
                    events.add("cancel " + what);
                }
            };
        }
    }
}
