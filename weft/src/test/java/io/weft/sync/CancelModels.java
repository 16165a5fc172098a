package io.weft.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sequential specifications of {@link CancelSpecs}: the promised
 * behaviour written plainly (lists and maps, one thread), not the classes
 * under test run on one thread, so a broken hand-on in the real primitive
 * is a difference Lincheck reports instead of a behaviour both sides share.
 * Each method mirrors the operation of the same name.
 */
final class CancelModels {
    private CancelModels() {
    }

    /** A FIFO semaphore of 2 permits whose waits can be polled again and cancelled. */
    public static final class SemaphoreModel {
        private long permits = 2;
        /** Waiting threads in order, with what each asked for. */
        private final List<int[]> queue = new ArrayList<>();
        /** Threads whose wait was granted (the permits moved to it) and not yet polled. */
        private final Map<Integer, Integer> granted = new HashMap<>();
        private final Map<Integer, Integer> pending = new HashMap<>();
        private final Map<Integer, ArrayDeque<Integer>> held = new HashMap<>();
        private final Map<Integer, Boolean> woken = new HashMap<>();

        private void grant() {
            while (!queue.isEmpty() && permits >= queue.get(0)[1]) {
                int[] w = queue.remove(0);
                permits -= w[1];
                granted.put(w[0], w[1]);
                woken.put(w[0], true);
            }
        }

        private String poll(int tid) {
            Integer n = granted.remove(tid);
            if (n == null) {
                woken.put(tid, false);
                return "waiting";
            }
            pending.remove(tid);
            held.computeIfAbsent(tid, t -> new ArrayDeque<>()).push(n);
            return "got " + n;
        }

        public String acquire(int tid, int n) {
            if (pending.containsKey(tid)) {
                return "already waiting";
            }
            if (queue.isEmpty() && permits >= n) {
                permits -= n;
                held.computeIfAbsent(tid, t -> new ArrayDeque<>()).push(n);
                return "got " + n;
            }
            pending.put(tid, n);
            queue.add(new int[] {tid, n});
            woken.put(tid, false);
            return "waiting";
        }

        public String pollAgain(int tid) {
            return pending.containsKey(tid) ? poll(tid) : "nothing pending";
        }

        public String cancel(int tid) {
            Integer n = pending.remove(tid);
            if (n == null) {
                return "nothing pending";
            }
            if (granted.remove(tid) != null) {
                permits += n; // handed over, never taken: back, and on to the next waiters
            } else {
                queue.removeIf(w -> w[0] == tid);
            }
            grant();
            return "cancelled";
        }

        public String release(int tid) {
            ArrayDeque<Integer> h = held.get(tid);
            Integer n = h == null ? null : h.poll();
            if (n == null) {
                return "none held";
            }
            permits += n;
            grant();
            return "released " + n;
        }

        public long available() {
            return permits;
        }

        public Object woken(int tid) {
            return pending.containsKey(tid) ? woken.getOrDefault(tid, false) : "nothing pending";
        }
    }

    /**
     * A channel of capacity 1. A woken waiter is only told "try again": the
     * value or the free slot stays in the channel, a woken waiter that finds
     * it taken goes back to the head of its queue, and one that gives up
     * passes the wake-up to the next waiter while the value (slot) is there.
     */
    public static final class ChannelModel {
        private final ArrayDeque<Integer> buffer = new ArrayDeque<>();
        private final List<Integer> recvQueue = new ArrayList<>();
        private final List<Integer> sendQueue = new ArrayList<>();
        private final Map<Integer, Boolean> recvNotified = new HashMap<>();
        private final Map<Integer, Boolean> sendNotified = new HashMap<>();
        private final Map<Integer, Boolean> recvPending = new HashMap<>();
        private final Map<Integer, Integer> sendPending = new HashMap<>();
        private final Map<Integer, Boolean> recvWoken = new HashMap<>();
        private final Map<Integer, Boolean> sendWoken = new HashMap<>();

        private void notifyFirstReceiver() {
            if (!recvQueue.isEmpty()) {
                int t = recvQueue.remove(0);
                recvNotified.put(t, true);
                recvWoken.put(t, true);
            }
        }

        private void notifyFirstSender() {
            if (!sendQueue.isEmpty()) {
                int t = sendQueue.remove(0);
                sendNotified.put(t, true);
                sendWoken.put(t, true);
            }
        }

        private Object pollRecv(int tid) {
            if (!buffer.isEmpty()) {
                recvQueue.remove((Integer) tid);
                recvNotified.remove(tid);
                recvPending.remove(tid);
                int v = buffer.poll();
                notifyFirstSender();
                return v;
            }
            recvWoken.put(tid, false);
            if (Boolean.TRUE.equals(recvNotified.remove(tid))) {
                recvQueue.add(0, tid); // lost the value to a barging receiver: keep its place
            } else if (!recvQueue.contains(tid)) {
                recvQueue.add(tid);
            }
            return "waiting";
        }

        private String pollSend(int tid) {
            if (buffer.isEmpty()) {
                sendQueue.remove((Integer) tid);
                sendNotified.remove(tid);
                buffer.add(sendPending.remove(tid));
                notifyFirstReceiver();
                return "sent";
            }
            sendWoken.put(tid, false);
            if (Boolean.TRUE.equals(sendNotified.remove(tid))) {
                sendQueue.add(0, tid);
            } else if (!sendQueue.contains(tid)) {
                sendQueue.add(tid);
            }
            return "waiting";
        }

        public Object recv(int tid) {
            if (recvPending.containsKey(tid)) {
                return "already waiting";
            }
            recvPending.put(tid, true);
            return pollRecv(tid);
        }

        public Object pollRecvAgain(int tid) {
            return recvPending.containsKey(tid) ? pollRecv(tid) : "nothing pending";
        }

        public String cancelRecv(int tid) {
            if (recvPending.remove(tid) == null) {
                return "nothing pending";
            }
            if (Boolean.TRUE.equals(recvNotified.remove(tid))) {
                if (!buffer.isEmpty()) {
                    notifyFirstReceiver(); // the wake-up goes on while the value is there
                }
            } else {
                recvQueue.remove((Integer) tid);
            }
            return "cancelled";
        }

        public String send(int tid, int v) {
            if (sendPending.containsKey(tid)) {
                return "already waiting";
            }
            sendPending.put(tid, v);
            return pollSend(tid);
        }

        public String pollSendAgain(int tid) {
            return sendPending.containsKey(tid) ? pollSend(tid) : "nothing pending";
        }

        public String cancelSend(int tid) {
            if (sendPending.remove(tid) == null) {
                return "nothing pending";
            }
            if (Boolean.TRUE.equals(sendNotified.remove(tid))) {
                if (buffer.isEmpty()) {
                    notifyFirstSender(); // the free slot's wake-up goes on
                }
            } else {
                sendQueue.remove((Integer) tid);
            }
            return "cancelled";
        }

        public Object tryRecv() {
            Integer v = buffer.poll();
            if (v == null) {
                return "empty";
            }
            notifyFirstSender();
            return v;
        }

        public int size() {
            return buffer.size();
        }

        public Object recvWoken(int tid) {
            return recvPending.containsKey(tid) ? recvWoken.getOrDefault(tid, false) : "nothing pending";
        }

        public Object sendWoken(int tid) {
            return sendPending.containsKey(tid) ? sendWoken.getOrDefault(tid, false) : "nothing pending";
        }
    }
}
