package io.weft.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Bytes of a stream that were read from the socket but not delivered (a
 * cancelled read's late completion on io_uring, a read given back by a task
 * of another worker that gave it up): the next read returns them before
 * anything new. Loop thread of the stream's driver only.
 */
public final class KeptBytes {
    private byte[] bytes;
    private int pos;

    boolean isEmpty() {
        return bytes == null;
    }

    /** Appends {@code add}: bytes that came from the socket after those kept. */
    void keep(MemorySegment add) {
        byte[] b = add.toArray(ValueLayout.JAVA_BYTE);
        bytes = bytes == null ? b : concat(bytes, pos, b);
        pos = 0;
    }

    /** Puts {@code b} before those kept: bytes read earlier, handed back undelivered. */
    void unread(byte[] b) {
        if (b.length == 0) {
            return;
        }
        bytes = bytes == null ? b.clone() : concat(b, 0, Arrays.copyOfRange(bytes, pos, bytes.length));
        pos = 0;
    }

    private static byte[] concat(byte[] first, int from, byte[] second) {
        byte[] merged = new byte[first.length - from + second.length];
        System.arraycopy(first, from, merged, 0, first.length - from);
        System.arraycopy(second, 0, merged, first.length - from, second.length);
        return merged;
    }

    /** Copies kept bytes into {@code dst} from its start; the count (0 when none are kept). */
    int take(MemorySegment dst) {
        if (bytes == null) {
            return 0;
        }
        int n = (int) Math.min(dst.byteSize(), bytes.length - pos);
        MemorySegment.copy(MemorySegment.ofArray(bytes), pos, dst, 0, n);
        pos += n;
        if (pos == bytes.length) {
            bytes = null;
        }
        return n;
    }

    /** Copies kept bytes into {@code dst} from its position, which moves past them; the count (0 when none are kept). */
    int take(ByteBuffer dst) {
        int n = take(MemorySegment.ofBuffer(dst));
        dst.position(dst.position() + n);
        return n;
    }

    /** All kept bytes, now no longer kept (a stream moving away); null when none are. */
    byte[] drain() {
        if (bytes == null) {
            return null;
        }
        byte[] left = Arrays.copyOfRange(bytes, pos, bytes.length);
        bytes = null;
        return left;
    }

    /**
     * A read's count {@code n}, given back by a combinator that took it and
     * was given up (a join past its deadline): the {@code n} bytes it
     * delivered are taken back out of the caller's memory (a segment's
     * first {@code n}, else a buffer's last {@code n} before its position,
     * which moves back over them) and {@code unread} on {@code stream}, read
     * first by the next read. An end of stream (-1) or nothing read stays
     * where it is.
     */
    static void giveBack(StreamHandle stream, ByteBuffer buf, MemorySegment seg, Integer n) {
        if (n != null && n > 0) {
            stream.unread(takenBack(buf, seg, n));
        }
    }

    /**
     * The {@code n} bytes a read delivered, taken back out of the caller's
     * memory: a segment's first {@code n}, else a buffer's last {@code n}
     * before its position, which moves back over them.
     */
    public static byte[] takenBack(ByteBuffer buf, MemorySegment seg, int n) {
        byte[] b = new byte[n];
        if (seg != null) {
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, 0, b, 0, n);
        } else {
            int p = buf.position() - n;
            buf.get(p, b);
            buf.position(p);
        }
        return b;
    }
}
