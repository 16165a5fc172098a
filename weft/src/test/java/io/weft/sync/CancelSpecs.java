package io.weft.sync;

import io.weft.Context;
import io.weft.Poll;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import kotlin.Unit;
import kotlin.reflect.jvm.ReflectJvmMapping;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.CustomScenarioDSLKt;
import org.jetbrains.lincheck.datastructures.DSLThreadScenario;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;

/**
 * Lincheck models in which cancelling a waiting operation is an operation
 * of its own (checked by {@link LincheckTest}). A thread starts a wait (one
 * poll: done at once, or queued), may poll it again later, and may cancel
 * it; meanwhile other threads release, send and receive. The sequential
 * specification is the class itself on one thread, where a queued wait
 * stays queued until its own thread polls or cancels it, so a permit or a
 * wake-up handed to a wait that is then cancelled must be visible to the
 * next operations exactly as if it had never been handed over. Pending
 * waits and held permits belong to their thread (indexed by Lincheck's
 * thread id, as in {@code LincheckTest.RwLockSpec}).
 */
final class CancelSpecs {
    private CancelSpecs() {
    }

    /** A custom scenario's actor: {@code method} of {@code spec} with {@code args}. */
    static void actor(DSLThreadScenario t, Class<?> spec, String method, Object... args) {
        for (Method m : spec.getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                t.actor(ReflectJvmMapping.getKotlinFunction(m), args);
                return;
            }
        }
        throw new IllegalArgumentException(spec.getSimpleName() + " has no operation " + method + "/" + args.length);
    }

    /** The steps that reach a hand-on: random scenarios rarely line them up, so each is also checked as written. */
    static ExecutionScenario scenario(Consumer<DSLThreadScenario> initial, List<Consumer<DSLThreadScenario>> threads,
                                      Consumer<DSLThreadScenario> post) {
        return CustomScenarioDSLKt.scenario(b -> {
            b.initial(t -> {
                initial.accept(t);
                return Unit.INSTANCE;
            });
            b.parallel(p -> {
                for (Consumer<DSLThreadScenario> thread : threads) {
                    p.thread(t -> {
                        thread.accept(t);
                        return Unit.INSTANCE;
                    });
                }
                return Unit.INSTANCE;
            });
            b.post(t -> {
                post.accept(t);
                return Unit.INSTANCE;
            });
            return Unit.INSTANCE;
        });
    }

    /**
     * Thread 0 holds both permits; thread 1 waits for one and cancels while
     * thread 2 releases thread 0's: if the release hands the permit to the
     * waiter before the cancel, the cancel must give it back.
     */
    static ExecutionScenario semaphoreHandOn() {
        Class<?> c = SemaphoreCancelSpec.class;
        return scenario(t -> actor(t, c, "acquire", 0, 2),
                List.of(t -> {
                    actor(t, c, "acquire", 1, 1);
                    actor(t, c, "cancel", 1);
                }, t -> {
                    actor(t, c, "release", 0);
                    actor(t, c, "available");
                }),
                t -> actor(t, c, "available"));
    }

    /**
     * Two receivers wait (1 before 2); 1 cancels while a value is sent: if
     * the send woke 1 first, the wake-up must go on to 2.
     */
    static ExecutionScenario channelRecvHandOn() {
        Class<?> c = ChannelCancelSpec.class;
        return scenario(t -> {
                    actor(t, c, "recv", 0);
                    actor(t, c, "recv", 5);
                },
                List.of(t -> actor(t, c, "cancelRecv", 0), t -> actor(t, c, "send", 6, 7)),
                t -> {
                    actor(t, c, "recvWoken", 5);
                    actor(t, c, "pollRecvAgain", 5);
                });
    }

    /**
     * The channel is full and two senders wait (1 before 2); 1 cancels while
     * the value is taken: if the free slot's wake-up went to 1 first, it must
     * go on to 2.
     */
    static ExecutionScenario channelSendHandOn() {
        Class<?> c = ChannelCancelSpec.class;
        return scenario(t -> {
                    actor(t, c, "send", 0, 1);
                    actor(t, c, "send", 5, 2);
                    actor(t, c, "send", 6, 3);
                },
                List.of(t -> actor(t, c, "cancelSend", 5), t -> actor(t, c, "tryRecv")),
                t -> {
                    actor(t, c, "sendWoken", 6);
                    actor(t, c, "pollSendAgain", 6);
                    actor(t, c, "tryRecv");
                });
    }

    /**
     * Per-thread wakers that remember being called, so that a wake-up given
     * to a wait that was then cancelled, and not handed on, shows: the next
     * waiter's {@code woken} stays false while what it waits for is there.
     */
    static final class Wakes {
        private final AtomicIntegerArray woken = new AtomicIntegerArray(8);
        private final Context[] contexts = new Context[8];

        /** The context of thread {@code tid}, its "woken" flag cleared: a poll is about to register it. */
        Context arm(int tid) {
            if (contexts[tid] == null) {
                contexts[tid] = new Context(() -> woken.set(tid, 1));
            }
            woken.set(tid, 0);
            return contexts[tid];
        }

        boolean woken(int tid) {
            return woken.get(tid) == 1;
        }
    }

    /** A semaphore of 2 permits: acquire(1..2) that may wait, poll it again, cancel it, release what is held. */
    @Param(name = "tid", gen = ThreadIdGen.class)
    @Param(name = "n", gen = IntGen.class, conf = "1:2")
    public static class SemaphoreCancelSpec {
        private final Semaphore sem = Semaphore.create(2);
        private final Wakes wakes = new Wakes();
        private final WaitFuture<?>[] pending = new WaitFuture<?>[8];
        private final ArrayDeque<?>[] held = new ArrayDeque<?>[8];

        @SuppressWarnings("unchecked")
        private ArrayDeque<Semaphore.Permit> held(int tid) {
            if (held[tid] == null) {
                held[tid] = new ArrayDeque<Semaphore.Permit>();
            }
            return (ArrayDeque<Semaphore.Permit>) held[tid];
        }

        private String poll(int tid) {
            @SuppressWarnings("unchecked")
            WaitFuture<Semaphore.Permit> f = (WaitFuture<Semaphore.Permit>) pending[tid];
            Poll<Semaphore.Permit> p = f.poll(wakes.arm(tid));
            if (!p.isReady()) {
                return "waiting";
            }
            pending[tid] = null;
            held(tid).push(p.get());
            return "got " + p.get().count();
        }

        @Operation
        public String acquire(@Param(name = "tid") int tid, @Param(name = "n") int n) {
            if (pending[tid] != null) {
                return "already waiting";
            }
            pending[tid] = sem.acquire(n);
            return poll(tid);
        }

        @Operation
        public String pollAgain(@Param(name = "tid") int tid) {
            return pending[tid] == null ? "nothing pending" : poll(tid);
        }

        @Operation
        public String cancel(@Param(name = "tid") int tid) {
            if (pending[tid] == null) {
                return "nothing pending";
            }
            pending[tid].cancel();
            pending[tid] = null;
            return "cancelled";
        }

        @Operation
        public String release(@Param(name = "tid") int tid) {
            Semaphore.Permit p = held(tid).poll();
            if (p == null) {
                return "none held";
            }
            p.close();
            return "released " + p.count();
        }

        @Operation
        public long available() {
            return sem.availablePermits();
        }

        @Operation
        public Object woken(@Param(name = "tid") int tid) {
            return pending[tid] == null ? "nothing pending" : wakes.woken(tid);
        }
    }

    /**
     * A bounded channel of capacity 1: a receive that may wait (then poll it
     * again or cancel it), a send that may wait (likewise), and trySend /
     * tryRecv. A value is received at most once and a cancelled send sends
     * nothing.
     */
    @Param(name = "tid", gen = ThreadIdGen.class)
    @Param(name = "v", gen = IntGen.class, conf = "1:9")
    public static class ChannelCancelSpec {
        private final Channel<Integer> ch = Channel.bounded(1);
        private final WaitFuture<?>[] recv = new WaitFuture<?>[8];
        private final WaitFuture<?>[] send = new WaitFuture<?>[8];
        private final Wakes recvWakes = new Wakes();
        private final Wakes sendWakes = new Wakes();

        private Object pollRecv(int tid) {
            @SuppressWarnings("unchecked")
            WaitFuture<Integer> f = (WaitFuture<Integer>) recv[tid];
            Poll<Integer> p = f.poll(recvWakes.arm(tid));
            if (!p.isReady()) {
                return "waiting";
            }
            recv[tid] = null;
            return p.get();
        }

        private String pollSend(int tid) {
            Poll<?> p = send[tid].poll(sendWakes.arm(tid));
            if (!p.isReady()) {
                return "waiting";
            }
            send[tid] = null;
            return "sent";
        }

        @Operation
        public Object recv(@Param(name = "tid") int tid) {
            if (recv[tid] != null) {
                return "already waiting";
            }
            recv[tid] = ch.receiver().recv();
            return pollRecv(tid);
        }

        @Operation
        public Object pollRecvAgain(@Param(name = "tid") int tid) {
            return recv[tid] == null ? "nothing pending" : pollRecv(tid);
        }

        @Operation
        public String cancelRecv(@Param(name = "tid") int tid) {
            if (recv[tid] == null) {
                return "nothing pending";
            }
            recv[tid].cancel();
            recv[tid] = null;
            return "cancelled";
        }

        @Operation
        public String send(@Param(name = "tid") int tid, @Param(name = "v") int v) {
            if (send[tid] != null) {
                return "already waiting";
            }
            send[tid] = ch.sender().send(v);
            return pollSend(tid);
        }

        @Operation
        public String pollSendAgain(@Param(name = "tid") int tid) {
            return send[tid] == null ? "nothing pending" : pollSend(tid);
        }

        @Operation
        public String cancelSend(@Param(name = "tid") int tid) {
            if (send[tid] == null) {
                return "nothing pending";
            }
            send[tid].cancel();
            send[tid] = null;
            return "cancelled";
        }

        @Operation
        public Object tryRecv() {
            Integer v = ch.receiver().tryRecv();
            return v == null ? "empty" : v;
        }

        @Operation
        public int size() {
            return ch.receiver().size();
        }

        @Operation
        public Object recvWoken(@Param(name = "tid") int tid) {
            return recv[tid] == null ? "nothing pending" : recvWakes.woken(tid);
        }

        @Operation
        public Object sendWoken(@Param(name = "tid") int tid) {
            return send[tid] == null ? "nothing pending" : sendWakes.woken(tid);
        }
    }
}
