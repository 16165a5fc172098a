package io.weft.sys;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * struct sockaddr_in, sockaddr_in6 and sockaddr_un, written into and read
 * from native memory. Ports and IPv4/IPv6 addresses are in network byte
 * order; the family is in host order (little-endian on the platforms weft
 * supports).
 */
public final class SockAddr {
    private SockAddr() {
    }

    /** Enough for any of the three (sockaddr_un is 110 bytes). */
    public static final int MAX_LEN = 128;

    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED
            .withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    /** The socket domain (AF_INET, AF_INET6, AF_UNIX) of {@code a}. */
    public static int family(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            InetAddress addr = resolved(i);
            return addr instanceof Inet6Address ? Linux.AF_INET6 : Linux.AF_INET;
        }
        if (a instanceof UnixDomainSocketAddress) {
            return Linux.AF_UNIX;
        }
        throw new IllegalArgumentException("unsupported socket address type: " + a.getClass().getName());
    }

    private static InetAddress resolved(InetSocketAddress i) {
        if (i.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + i + ": resolve it first (e.g. new InetSocketAddress(host, port))");
        }
        return i.getAddress();
    }

    /** Writes {@code a} at the start of {@code out}; returns its length. */
    public static int write(SocketAddress a, MemorySegment out) {
        out.asSlice(0, MAX_LEN).fill((byte) 0);
        if (a instanceof InetSocketAddress i) {
            InetAddress addr = resolved(i);
            if (addr instanceof Inet4Address) {
                out.set(ValueLayout.JAVA_SHORT, 0, (short) Linux.AF_INET);
                out.set(SHORT_BE, 2, (short) i.getPort());
                MemorySegment.copy(MemorySegment.ofArray(addr.getAddress()), 0, out, 4, 4);
                return 16;
            }
            Inet6Address v6 = (Inet6Address) addr;
            out.set(ValueLayout.JAVA_SHORT, 0, (short) Linux.AF_INET6);
            out.set(SHORT_BE, 2, (short) i.getPort());
            MemorySegment.copy(MemorySegment.ofArray(v6.getAddress()), 0, out, 8, 16);
            out.set(ValueLayout.JAVA_INT_UNALIGNED, 24, v6.getScopeId());
            return 28;
        }
        if (a instanceof UnixDomainSocketAddress u) {
            byte[] path = u.getPath().toString().getBytes(StandardCharsets.UTF_8);
            if (path.length >= 108) {
                throw new IllegalArgumentException("unix socket path longer than 107 bytes: " + u.getPath());
            }
            out.set(ValueLayout.JAVA_SHORT, 0, (short) Linux.AF_UNIX);
            MemorySegment.copy(MemorySegment.ofArray(path), 0, out, 2, path.length);
            return 2 + path.length + 1;
        }
        throw new IllegalArgumentException("unsupported socket address type: " + a.getClass().getName());
    }

    /** Reads the address at the start of {@code in}, {@code len} bytes long. */
    public static SocketAddress read(MemorySegment in, int len) {
        int family = in.get(ValueLayout.JAVA_SHORT, 0) & 0xffff;
        try {
            switch (family) {
                case Linux.AF_INET -> {
                    byte[] b = new byte[4];
                    MemorySegment.copy(in, 4, MemorySegment.ofArray(b), 0, 4);
                    return new InetSocketAddress(InetAddress.getByAddress(b), in.get(SHORT_BE, 2) & 0xffff);
                }
                case Linux.AF_INET6 -> {
                    byte[] b = new byte[16];
                    MemorySegment.copy(in, 8, MemorySegment.ofArray(b), 0, 16);
                    int scope = in.get(ValueLayout.JAVA_INT_UNALIGNED, 24);
                    InetAddress addr = scope != 0 ? Inet6Address.getByAddress(null, b, scope)
                            : InetAddress.getByAddress(b);
                    return new InetSocketAddress(addr, in.get(SHORT_BE, 2) & 0xffff);
                }
                case Linux.AF_UNIX -> {
                    int n = Math.max(0, len - 2);
                    byte[] b = new byte[n];
                    MemorySegment.copy(in, 2, MemorySegment.ofArray(b), 0, n);
                    int end = 0;
                    while (end < n && b[end] != 0) {
                        end++;
                    }
                    return UnixDomainSocketAddress.of(new String(b, 0, end, StandardCharsets.UTF_8));
                }
                default -> throw new IllegalArgumentException("unknown address family " + family);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: the byte arrays have the right lengths
        }
    }
}
