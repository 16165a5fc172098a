package io.weft.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Linux system calls through the Foreign Function &amp; Memory API. Every
 * call returns what the kernel returned, or {@code -errno} on failure (the
 * convention of raw system calls and of io_uring completions), so callers
 * never read a thread-global errno.
 *
 * <p>An instance carries the scratch memory of one thread (the errno
 * capture and a small buffer for socket addresses and options): use
 * {@link #local()}, or keep the instance of a loop thread in a field and use
 * it from that thread only. Calls that never block (read and write on a
 * non-blocking descriptor, epoll_wait with no timeout) are linked
 * {@link Linker.Option#critical(boolean) critical} with heap access, so a
 * heap {@code byte[]} is passed to the kernel without a copy.
 */
public final class Linux {

    // ---- constants (identical on x86_64 and aarch64) ----
    public static final int EPERM = 1, ENOENT = 2, EINTR = 4, EIO = 5, ENXIO = 6, EBADF = 9, EAGAIN = 11,
            ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, ENOTDIR = 20, EISDIR = 21, EINVAL = 22,
            ENFILE = 23, EMFILE = 24, ETXTBSY = 26, EFBIG = 27, ENOSPC = 28, ESPIPE = 29, EROFS = 30, EPIPE = 32,
            ENAMETOOLONG = 36, ENOSYS = 38, ELOOP = 40, ETIME = 62, EOVERFLOW = 75, ENOTSOCK = 88, EOPNOTSUPP = 95,
            EAFNOSUPPORT = 97, EADDRINUSE = 98, EADDRNOTAVAIL = 99, ENETUNREACH = 101, ECONNABORTED = 103,
            ECONNRESET = 104, ENOTCONN = 107, ETIMEDOUT = 110, ECONNREFUSED = 111, EHOSTUNREACH = 113,
            EALREADY = 114, EINPROGRESS = 115, EDQUOT = 122, ECANCELED = 125;

    public static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
    public static final int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_NONBLOCK = 04000, SOCK_CLOEXEC = 02000000;
    public static final int SOL_SOCKET = 1, SO_REUSEADDR = 2, SO_ERROR = 4, SO_SNDBUF = 7, SO_RCVBUF = 8,
            SO_KEEPALIVE = 9, SO_LINGER = 13, SO_REUSEPORT = 15;
    public static final int IPPROTO_TCP = 6, TCP_NODELAY = 1, IPPROTO_IPV6 = 41, IPV6_V6ONLY = 26;
    public static final int SHUT_RD = 0, SHUT_WR = 1;
    public static final int EPOLLIN = 0x1, EPOLLPRI = 0x2, EPOLLOUT = 0x4, EPOLLERR = 0x8, EPOLLHUP = 0x10,
            EPOLLRDHUP = 0x2000, EPOLLET = 1 << 31;
    /** poll(2) events, as IORING_OP_POLL_ADD takes them. */
    public static final int POLLIN = 0x1, POLLOUT = 0x4;
    public static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    public static final int O_CLOEXEC = 02000000, O_NONBLOCK = 04000;
    public static final int MSG_NOSIGNAL = 0x4000, MSG_DONTWAIT = 0x40;

    /** struct epoll_event is packed (12 bytes) on x86_64 and padded (16) elsewhere. */
    public static final boolean X86_64 = "amd64".equals(System.getProperty("os.arch"))
            || "x86_64".equals(System.getProperty("os.arch"));
    public static final int EPOLL_EVENT_SIZE = X86_64 ? 12 : 16;
    public static final int EPOLL_DATA_OFFSET = X86_64 ? 4 : 8;

    public static final long SYS_IO_URING_SETUP = 425, SYS_IO_URING_ENTER = 426, SYS_IO_URING_REGISTER = 427;
    /** fstat(2): 5 on x86_64, 80 in the generic table of aarch64. */
    static final long SYS_FSTAT = X86_64 ? 5 : 80;
    /** Where struct stat keeps st_size: byte 48 on x86_64 and on aarch64 (the generic layout). */
    private static final long STAT_SIZE_OFFSET = 48;

    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final ValueLayout A = ValueLayout.ADDRESS;

    private static final String UNAVAILABLE;
    private static final VarHandle ERRNO;
    private static final MethodHandle SOCKET, BIND, LISTEN, ACCEPT4, CONNECT, READ, WRITE, SEND, CLOSE, SHUTDOWN,
            SETSOCKOPT, GETSOCKOPT, GETSOCKNAME, GETPEERNAME, EPOLL_CREATE1, EPOLL_CTL, EPOLL_WAIT_NOW,
            EPOLL_WAIT, EVENTFD, SYSCALL3, SYSCALL6, MMAP, MUNMAP, PREAD, PWRITE, OPEN, FSYNC, LSEEK, SENDTO,
            RECVFROM, SOCKETPAIR, UNLINK;

    static {
        String why = null;
        MethodHandle[] h = new MethodHandle[32];
        VarHandle errno = null;
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            why = "Linux system calls are unavailable on " + System.getProperty("os.name");
        } else {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                Linker.Option cs = Linker.Option.captureCallState("errno");
                Linker.Option crit = Linker.Option.critical(true);
                errno = Linker.Option.captureStateLayout().varHandle(MemoryLayout.PathElement.groupElement("errno"));
                h[0] = link(linker, libc, "socket", FunctionDescriptor.of(I, I, I, I), cs);
                h[1] = link(linker, libc, "bind", FunctionDescriptor.of(I, I, A, I), cs);
                h[2] = link(linker, libc, "listen", FunctionDescriptor.of(I, I, I), cs);
                h[3] = link(linker, libc, "accept4", FunctionDescriptor.of(I, I, A, A, I), cs);
                h[4] = link(linker, libc, "connect", FunctionDescriptor.of(I, I, A, I), cs);
                h[5] = link(linker, libc, "read", FunctionDescriptor.of(L, I, A, L), cs, crit);
                h[6] = link(linker, libc, "write", FunctionDescriptor.of(L, I, A, L), cs, crit);
                h[7] = link(linker, libc, "send", FunctionDescriptor.of(L, I, A, L, I), cs, crit);
                h[8] = link(linker, libc, "close", FunctionDescriptor.of(I, I), cs);
                h[9] = link(linker, libc, "shutdown", FunctionDescriptor.of(I, I, I), cs);
                h[10] = link(linker, libc, "setsockopt", FunctionDescriptor.of(I, I, I, I, A, I), cs);
                h[11] = link(linker, libc, "getsockopt", FunctionDescriptor.of(I, I, I, I, A, A), cs);
                h[12] = link(linker, libc, "getsockname", FunctionDescriptor.of(I, I, A, A), cs);
                h[13] = link(linker, libc, "getpeername", FunctionDescriptor.of(I, I, A, A), cs);
                h[14] = link(linker, libc, "epoll_create1", FunctionDescriptor.of(I, I), cs);
                h[15] = link(linker, libc, "epoll_ctl", FunctionDescriptor.of(I, I, I, I, A), cs);
                h[16] = link(linker, libc, "epoll_wait", FunctionDescriptor.of(I, I, A, I, I), cs, crit);
                h[17] = link(linker, libc, "epoll_wait", FunctionDescriptor.of(I, I, A, I, I), cs);
                h[18] = link(linker, libc, "eventfd", FunctionDescriptor.of(I, I, I), cs);
                h[19] = link(linker, libc, "syscall", FunctionDescriptor.of(L, L, I, A),
                        Linker.Option.firstVariadicArg(1), cs);
                h[20] = link(linker, libc, "syscall", FunctionDescriptor.of(L, L, I, I, I, I, A, L),
                        Linker.Option.firstVariadicArg(1), cs);
                h[21] = link(linker, libc, "mmap", FunctionDescriptor.of(A, A, L, I, I, I, L), cs);
                h[22] = link(linker, libc, "munmap", FunctionDescriptor.of(I, A, L), cs);
                h[23] = link(linker, libc, "pread", FunctionDescriptor.of(L, I, A, L, L), cs);
                h[24] = link(linker, libc, "pwrite", FunctionDescriptor.of(L, I, A, L, L), cs);
                h[25] = link(linker, libc, "open", FunctionDescriptor.of(I, A, I, I),
                        Linker.Option.firstVariadicArg(2), cs);
                h[26] = link(linker, libc, "fsync", FunctionDescriptor.of(I, I), cs);
                h[27] = link(linker, libc, "lseek", FunctionDescriptor.of(L, I, L, I), cs);
                h[28] = link(linker, libc, "sendto", FunctionDescriptor.of(L, I, A, L, I, A, I), cs, crit);
                h[29] = link(linker, libc, "recvfrom", FunctionDescriptor.of(L, I, A, L, I, A, A), cs, crit);
                h[30] = link(linker, libc, "socketpair", FunctionDescriptor.of(I, I, I, I, A), cs);
                h[31] = link(linker, libc, "unlink", FunctionDescriptor.of(I, A), cs);
            } catch (RuntimeException | LinkageError e) {
                why = "Linux system calls are unavailable: " + e;
            }
        }
        UNAVAILABLE = why;
        ERRNO = errno;
        SOCKET = h[0]; BIND = h[1]; LISTEN = h[2]; ACCEPT4 = h[3]; CONNECT = h[4]; READ = h[5]; WRITE = h[6];
        SEND = h[7]; CLOSE = h[8]; SHUTDOWN = h[9]; SETSOCKOPT = h[10]; GETSOCKOPT = h[11]; GETSOCKNAME = h[12];
        GETPEERNAME = h[13]; EPOLL_CREATE1 = h[14]; EPOLL_CTL = h[15]; EPOLL_WAIT_NOW = h[16]; EPOLL_WAIT = h[17];
        EVENTFD = h[18]; SYSCALL3 = h[19]; SYSCALL6 = h[20]; MMAP = h[21]; MUNMAP = h[22]; PREAD = h[23];
        PWRITE = h[24]; OPEN = h[25]; FSYNC = h[26]; LSEEK = h[27]; SENDTO = h[28]; RECVFROM = h[29];
        SOCKETPAIR = h[30]; UNLINK = h[31];
    }

    private static MethodHandle link(Linker linker, SymbolLookup libc, String name, FunctionDescriptor fd,
                                     Linker.Option... options) {
        return linker.downcallHandle(libc.find(name).orElseThrow(
                () -> new UnsatisfiedLinkError("libc has no " + name)), fd, options);
    }

    /** Null when the calls are available; otherwise why not. */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    public static boolean isAvailable() {
        return UNAVAILABLE == null;
    }

    private static final ThreadLocal<Linux> LOCAL = ThreadLocal.withInitial(Linux::new);

    /** The instance of the calling thread. */
    public static Linux local() {
        return LOCAL.get();
    }

    private final MemorySegment state;
    /** 256 bytes of scratch: socket addresses, option values, lengths. Never held across calls. */
    private final MemorySegment scratch;

    private Linux() {
        if (UNAVAILABLE != null) {
            throw new UnsupportedOperationException(UNAVAILABLE);
        }
        Arena arena = Arena.ofAuto();
        state = arena.allocate(Linker.Option.captureStateLayout());
        scratch = arena.allocate(256, 8);
    }

    /** Scratch memory of this instance (256 bytes), valid until its next call. */
    public MemorySegment scratch() {
        return scratch;
    }

    private int errno() {
        return (int) ERRNO.get(state, 0L);
    }

    private int ret(int rc) {
        return rc >= 0 ? rc : -errno();
    }

    private long ret(long rc) {
        return rc >= 0 ? rc : -errno();
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    // ---- sockets ----

    public int socket(int domain, int type, int protocol) {
        try {
            return ret((int) SOCKET.invokeExact(state, domain, type, protocol));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int socketpair(int domain, int type, int protocol, MemorySegment fds) {
        try {
            return ret((int) SOCKETPAIR.invokeExact(state, domain, type, protocol, fds));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int bind(int fd, MemorySegment addr, int len) {
        try {
            return ret((int) BIND.invokeExact(state, fd, addr, len));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int listen(int fd, int backlog) {
        try {
            return ret((int) LISTEN.invokeExact(state, fd, backlog));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** accept4; {@code addr}/{@code lenPtr} may be {@link MemorySegment#NULL}. */
    public int accept4(int fd, MemorySegment addr, MemorySegment lenPtr, int flags) {
        try {
            return ret((int) ACCEPT4.invokeExact(state, fd, addr, lenPtr, flags));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int connect(int fd, MemorySegment addr, int len) {
        try {
            return ret((int) CONNECT.invokeExact(state, fd, addr, len));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** read(2) into {@code buf} (native or heap: the call is critical, it never blocks on a non-blocking fd). */
    public long read(int fd, MemorySegment buf, long len) {
        try {
            return ret((long) READ.invokeExact(state, fd, buf, len));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public long write(int fd, MemorySegment buf, long len) {
        try {
            return ret((long) WRITE.invokeExact(state, fd, buf, len));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** send(2); used with MSG_NOSIGNAL so a write to a reset peer is EPIPE, not SIGPIPE. */
    public long send(int fd, MemorySegment buf, long len, int flags) {
        try {
            return ret((long) SEND.invokeExact(state, fd, buf, len, flags));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public long sendto(int fd, MemorySegment buf, long len, int flags, MemorySegment addr, int addrLen) {
        try {
            return ret((long) SENDTO.invokeExact(state, fd, buf, len, flags, addr, addrLen));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public long recvfrom(int fd, MemorySegment buf, long len, int flags, MemorySegment addr, MemorySegment lenPtr) {
        try {
            return ret((long) RECVFROM.invokeExact(state, fd, buf, len, flags, addr, lenPtr));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int close(int fd) {
        try {
            return ret((int) CLOSE.invokeExact(state, fd));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int shutdown(int fd, int how) {
        try {
            return ret((int) SHUTDOWN.invokeExact(state, fd, how));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** setsockopt with an int value. */
    public int setsockopt(int fd, int level, int name, int value) {
        MemorySegment v = scratch.asSlice(200, 4);
        v.set(I, 0, value);
        try {
            return ret((int) SETSOCKOPT.invokeExact(state, fd, level, name, v, 4));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** SO_LINGER: {@code on} with a timeout of {@code seconds} (0: close resets the connection). */
    public int setLinger(int fd, boolean on, int seconds) {
        MemorySegment v = scratch.asSlice(200, 8);
        v.set(I, 0, on ? 1 : 0);
        v.set(I, 4, seconds);
        try {
            return ret((int) SETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_LINGER, v, 8));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** getsockopt of an int value: the value, or -errno. */
    public int getsockoptInt(int fd, int level, int name) {
        MemorySegment v = scratch.asSlice(200, 4);
        MemorySegment len = scratch.asSlice(208, 4);
        len.set(I, 0, 4);
        try {
            int rc = ret((int) GETSOCKOPT.invokeExact(state, fd, level, name, v, len));
            return rc < 0 ? rc : v.get(I, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** getsockname into {@code addr} (128 bytes); {@code lenPtr} gets the length. */
    public int getsockname(int fd, MemorySegment addr, MemorySegment lenPtr) {
        try {
            return ret((int) GETSOCKNAME.invokeExact(state, fd, addr, lenPtr));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int getpeername(int fd, MemorySegment addr, MemorySegment lenPtr) {
        try {
            return ret((int) GETPEERNAME.invokeExact(state, fd, addr, lenPtr));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- epoll, eventfd ----

    public int epollCreate() {
        try {
            return ret((int) EPOLL_CREATE1.invokeExact(state, O_CLOEXEC));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** epoll_ctl with an event of {@code events} and data {@code data}. */
    public int epollCtl(int epfd, int op, int fd, int events, long data) {
        MemorySegment ev = scratch.asSlice(0, 16);
        ev.set(I, 0, events);
        ev.set(ValueLayout.JAVA_LONG_UNALIGNED, EPOLL_DATA_OFFSET, data);
        try {
            return ret((int) EPOLL_CTL.invokeExact(state, epfd, op, fd, ev));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** epoll_wait; {@code timeoutMillis} 0 polls (a critical call), -1 waits without limit. */
    public int epollWait(int epfd, MemorySegment events, int max, int timeoutMillis) {
        try {
            if (timeoutMillis == 0) {
                return ret((int) EPOLL_WAIT_NOW.invokeExact(state, epfd, events, max, 0));
            }
            return ret((int) EPOLL_WAIT.invokeExact(state, epfd, events, max, timeoutMillis));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The 8-byte 1 that {@link #eventfdSignal} writes; read-only after class initialization. */
    private static final MemorySegment EVENTFD_ONE = longSegment(1L);

    private static MemorySegment longSegment(long value) {
        MemorySegment s = Arena.global().allocate(8, 8);
        s.set(ValueLayout.JAVA_LONG, 0, value);
        return s;
    }

    /**
     * Adds 1 to eventfd {@code fd}'s counter: the wake of a loop that waits
     * on it (any thread); write(2)'s result (EAGAIN only when the counter is
     * full, when a wake is pending anyway).
     */
    public long eventfdSignal(int fd) {
        return write(fd, EVENTFD_ONE, 8);
    }

    public int eventfd(int initval, int flags) {
        try {
            return ret((int) EVENTFD.invokeExact(state, initval, flags));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- io_uring, memory ----

    public int ioUringSetup(int entries, MemorySegment params) {
        try {
            return (int) ret((long) SYSCALL3.invokeExact(state, SYS_IO_URING_SETUP, entries, params));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** io_uring_enter(fd, toSubmit, minComplete, flags, NULL, 0). May block when minComplete &gt; 0. */
    public int ioUringEnter(int fd, int toSubmit, int minComplete, int flags) {
        try {
            return (int) ret((long) SYSCALL6.invokeExact(state, SYS_IO_URING_ENTER, fd, toSubmit, minComplete,
                    flags, MemorySegment.NULL, 0L));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** io_uring_enter with IORING_ENTER_EXT_ARG: {@code arg} points at a struct io_uring_getevents_arg. */
    public int ioUringEnterExt(int fd, int toSubmit, int minComplete, int flags, MemorySegment arg, long argSize) {
        try {
            return (int) ret((long) SYSCALL6.invokeExact(state, SYS_IO_URING_ENTER, fd, toSubmit, minComplete,
                    flags, arg, argSize));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static final int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1, MAP_POPULATE = 0x8000;

    /** mmap; the result's address is -errno (as a small negative number) on failure. */
    public MemorySegment mmap(long length, int prot, int flags, int fd, long offset) {
        try {
            MemorySegment p = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, length, prot, flags, fd,
                    offset);
            if (p.address() == -1L) {
                return MemorySegment.ofAddress(-errno());
            }
            return p.reinterpret(length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int munmap(MemorySegment addr, long length) {
        try {
            return ret((int) MUNMAP.invokeExact(state, addr, length));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- files ----

    public int open(MemorySegment path, int flags, int mode) {
        try {
            return ret((int) OPEN.invokeExact(state, path, flags, mode));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int unlink(MemorySegment path) {
        try {
            return ret((int) UNLINK.invokeExact(state, path));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public long pread(int fd, MemorySegment buf, long len, long offset) {
        try {
            return ret((long) PREAD.invokeExact(state, fd, buf, len, offset));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public long pwrite(int fd, MemorySegment buf, long len, long offset) {
        try {
            return ret((long) PWRITE.invokeExact(state, fd, buf, len, offset));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int fsync(int fd) {
        try {
            return ret((int) FSYNC.invokeExact(state, fd));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * fstat(2)'s {@code st_size} of {@code fd} (what FileChannel.size() returns), or {@code -errno}. Made as
     * the raw system call: glibc exports {@code fstat} only since 2.33.
     */
    public long fstatSize(int fd) {
        try {
            long rc = ret((long) SYSCALL3.invokeExact(state, SYS_FSTAT, fd, scratch));
            return rc < 0 ? rc : scratch.get(L, STAT_SIZE_OFFSET);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public long lseek(int fd, long offset, int whence) {
        try {
            return ret((long) LSEEK.invokeExact(state, fd, offset, whence));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
