package io.weft.task;

import io.weft.Waker;
import java.lang.invoke.VarHandle;

/**
 * A task's join wakers: a Treiber stack in a volatile field of the task,
 * reached through its VarHandle. Any thread pushes (a join poll); the
 * completing thread takes the whole stack once, with a getAndSet that
 * empties it, and wakes each (a push after that finds the task complete:
 * the join poll looks at the state again after registering).
 */
final class Joiners {
    private Joiners() {
    }

    static final class Node {
        final Waker waker;
        final Node next;

        Node(Waker waker, Node next) {
            this.waker = waker;
            this.next = next;
        }
    }

    /** Pushes {@code w} onto {@code task}'s stack unless it is there already (a task re-polling its join). */
    static void push(VarHandle field, Task<?> task, Waker w) {
        Node head = (Node) field.getVolatile(task);
        for (;;) {
            for (Node n = head; n != null; n = n.next) {
                if (n.waker == w) {
                    return;
                }
            }
            Node node = new Node(w, head);
            Node witness = (Node) field.compareAndExchange(task, head, node);
            if (witness == head) {
                return;
            }
            head = witness;
        }
    }

    /** Takes {@code task}'s whole stack and wakes each waker; one that throws is reported, the others go on. */
    static void wakeAll(VarHandle field, Task<?> task) {
        for (Node n = (Node) field.getAndSet(task, null); n != null; n = n.next) {
            Wakes.wakeReporting(n.waker, task);
        }
    }
}
