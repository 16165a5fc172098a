package io.weft.io;

import io.weft.Context;
import io.weft.Driver;
import io.weft.Poll;
import io.weft.sys.Errno;
import io.weft.sys.Linux;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The epoll driver: non-blocking descriptors registered once, edge
 * triggered, for input and output. Each socket keeps the readiness it
 * believes in (both at first); an op tries its system call while its bit is
 * set, and on EAGAIN, or a short read or write (the kernel had no more, as
 * tokio reasons), clears the bit and waits for the next edge. A hang-up or
 * a peer's shutdown sets a sticky bit that is never cleared, since no edge
 * will follow it (the next read returns end of stream). Events and
 * attempts both happen on the loop thread, so an edge can never fall between
 * an EAGAIN and the clearing of the bit. Cross-thread wakes write an eventfd.
 */
public final class EpollDriver extends FdDriver {
    private static final long WAKE_TOKEN = -1L;
    private static final int MAX_EVENTS = 256;

    private final int epfd;
    private final int eventFd;
    private final WakeSignal wake;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment events;
    private final MemorySegment drain;
    private final SocketTable sockets = new SocketTable();
    private int waiting;
    private boolean closed;

    private EpollDriver(int epfd, int eventFd) {
        this.epfd = epfd;
        this.eventFd = eventFd;
        this.wake = new WakeSignal(eventFd);
        this.events = arena.allocate((long) MAX_EVENTS * Linux.EPOLL_EVENT_SIZE, 8);
        this.drain = arena.allocate(8, 8);
    }

    /** A new epoll instance with its wake eventfd; IOException naming the call when the kernel refuses. */
    public static EpollDriver open() throws IOException {
        Linux sys = Linux.local();
        int ep = sys.epollCreate();
        if (ep < 0) {
            throw Errno.socketError("epoll_create1", ep);
        }
        int ev = sys.eventfd(0, Linux.O_NONBLOCK | Linux.O_CLOEXEC);
        if (ev < 0) {
            sys.close(ep);
            throw Errno.socketError("eventfd", ev);
        }
        int rc = sys.epollCtl(ep, Linux.EPOLL_CTL_ADD, ev, Linux.EPOLLIN, WAKE_TOKEN);
        if (rc < 0) {
            sys.close(ev);
            sys.close(ep);
            throw Errno.socketError("epoll_ctl(eventfd)", rc);
        }
        return new EpollDriver(ep, ev);
    }

    @Override
    public Driver kind() {
        return Driver.EPOLL;
    }

    @Override
    public <T> Poll<T> pollOp(FdOp<T> op, Context cx) {
        checkThread();
        if (op.state == FdOp.DONE || op.state == FdOp.CANCELLED) {
            throw new IllegalStateException("I/O operation polled after it " + (op.state == FdOp.DONE ? "completed" : "was cancelled"));
        }
        FdSocket s = op.socket;
        if (s.closed) {
            finish(op);
            throw s.failure("use of a closed socket", -Linux.EBADF);
        }
        if (!cx.consumeBudget()) {
            return Poll.pending(); // budget spent: the task was woken to run again later
        }
        int interest = op.interest();
        if ((s.readiness & (interest | interest << 2)) != 0) { // ready, or closed for good (sticky)
            long r;
            do {
                r = op.attempt(sys);
            } while (r == -Linux.EINTR);
            if (r == -Linux.EAGAIN) {
                s.readiness &= ~interest; // wait for the next edge
            } else {
                if (op.drained(r)) {
                    s.readiness &= ~interest;
                }
                finish(op);
                return Poll.ready(op.complete(r));
            }
        }
        op.waker = cx.waker();
        if (op.state == FdOp.NEW) {
            op.state = FdOp.WAITING;
            s.waiters.add(op);
            waiting++;
        }
        return Poll.pending();
    }

    private void finish(FdOp<?> op) {
        if (op.state == FdOp.WAITING) {
            op.socket.waiters.remove(op);
            waiting--;
        }
        op.state = FdOp.DONE;
        op.waker = null;
    }

    @Override
    protected void notReady(FdSocket s, int interest) {
        s.readiness &= ~interest;
    }

    @Override
    public void cancelOp(FdOp<?> op) {
        checkThread();
        if (op.state == FdOp.WAITING) {
            op.socket.waiters.remove(op);
            waiting--;
        }
        op.state = FdOp.CANCELLED;
        op.waker = null;
    }

    @Override
    protected void register(FdSocket s) throws IOException {
        sockets.add(s);
        int rc = sys.epollCtl(epfd, Linux.EPOLL_CTL_ADD, s.fd,
                Linux.EPOLLIN | Linux.EPOLLOUT | Linux.EPOLLRDHUP | Linux.EPOLLET, s.token);
        if (rc < 0) {
            sockets.remove(s);
            throw Errno.socketError("epoll_ctl(EPOLL_CTL_ADD, fd " + s.fd + ")", rc);
        }
    }

    @Override
    protected void deregister(FdSocket s) {
        int rc = sys.epollCtl(epfd, Linux.EPOLL_CTL_DEL, s.fd, 0, 0);
        sockets.remove(s);
        if (rc < 0) {
            throw new java.io.UncheckedIOException(Errno.socketError("epoll_ctl(EPOLL_CTL_DEL, fd " + s.fd + ")", rc));
        }
    }

    @Override
    protected void closeDeferred(FdSocket s) {
        sys.epollCtl(epfd, Linux.EPOLL_CTL_DEL, s.fd, 0, 0); // its token is free: no event may name it again
    }

    @Override
    protected void closing(FdSocket s) {
        // close(2) removes the descriptor from the interest list; the waiters see the closed flag when they run
        s.waiters.wake(FdOp.READ | FdOp.WRITE);
        sockets.remove(s);
    }

    @Override
    public int poll() {
        if (closed) {
            return 0;
        }
        return handle(sys.epollWait(epfd, events, MAX_EVENTS, 0));
    }

    @Override
    public void park(long timeoutNanos) {
        int ms;
        if (timeoutNanos < 0) {
            ms = -1;
        } else {
            long m = (timeoutNanos + 999_999) / 1_000_000; // round up: never wake before the deadline
            ms = (int) Math.min(m, Integer.MAX_VALUE);
        }
        handle(sys.epollWait(epfd, events, MAX_EVENTS, ms));
    }

    private int handle(int n) {
        if (n < 0) {
            if (n == -Linux.EINTR) {
                return 0;
            }
            throw new IllegalStateException("epoll_wait: " + Errno.describe(n));
        }
        int woken = 0;
        for (int i = 0; i < n; i++) {
            long base = (long) i * Linux.EPOLL_EVENT_SIZE;
            int ev = events.get(ValueLayout.JAVA_INT_UNALIGNED, base);
            long token = events.get(ValueLayout.JAVA_LONG_UNALIGNED, base + Linux.EPOLL_DATA_OFFSET);
            if (token == WAKE_TOKEN) {
                sys.read(eventFd, drain, 8);
                continue;
            }
            FdSocket s = sockets.get(token);
            if (s == null) {
                continue; // a socket closed after the kernel queued its event
            }
            int bits = 0;
            if ((ev & Linux.EPOLLIN) != 0) {
                bits |= FdOp.READ;
            }
            if ((ev & Linux.EPOLLOUT) != 0) {
                bits |= FdOp.WRITE;
            }
            if ((ev & (Linux.EPOLLRDHUP | Linux.EPOLLHUP | Linux.EPOLLERR)) != 0) {
                bits |= FdOp.READ | FdOp.READ_CLOSED;
            }
            if ((ev & (Linux.EPOLLHUP | Linux.EPOLLERR)) != 0) {
                bits |= FdOp.WRITE | FdOp.WRITE_CLOSED;
            }
            s.readiness |= bits;
            woken += s.waiters.wake(bits & (FdOp.READ | FdOp.WRITE));
        }
        handled(woken);
        return woken;
    }

    @Override
    public void wakeup() {
        wake.signal(); // nothing once closed: the number may be another descriptor's by then
    }

    @Override
    public int pending() {
        return waiting;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sockets.closeAll();
        wake.close(sys);
        sys.close(epfd);
        arena.close();
        buffers.close();
    }

    @Override
    public String toString() {
        return "EpollDriver[epfd=" + epfd + ", sockets=" + sockets.size() + ", waiting=" + waiting + "]";
    }
}
