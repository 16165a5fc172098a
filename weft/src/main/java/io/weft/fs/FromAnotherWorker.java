package io.weft.fs;

import io.weft.CancellableFuture;
import io.weft.Context;
import io.weft.Poll;
import io.weft.executor.OnHome;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * A {@link File}'s reads and writes for a task of another worker of a
 * StealingExecutor: the operation runs on the file's worker
 * ({@link OnHome}) on a buffer of its own, and the caller's buffer is
 * touched only on the caller's thread: a write's bytes are copied at the
 * call, a read's bytes (and the buffer's position) once the caller's poll
 * takes the result. So an operation given up after the file's worker did it
 * leaves the caller's buffer as the same operation on the file's own worker
 * leaves it (the File methods' cancel safety), and no buffer of the caller
 * is written by another thread. The cost is one copy of the bytes.
 */
final class FromAnotherWorker {
    private FromAnotherWorker() {
    }

    /** The most one read or write call moves (the drivers take at most 1 MiB a call): its copy's size. */
    private static final int MAX_CALL = 1 << 20;

    static CancellableFuture<Integer> readAt(OnHome home, File f, ByteBuffer dst, long position) {
        checkWritable(dst.isReadOnly());
        ByteBuffer tmp = ByteBuffer.allocate(Math.min(dst.remaining(), MAX_CALL));
        return after(home.run(f, () -> f.handle.readAt(tmp, position)), n -> {
            if (n > 0) {
                dst.put(tmp.flip());
            }
            return n;
        }, null);
    }

    static CancellableFuture<Integer> readAt(OnHome home, File f, MemorySegment dst, long position) {
        checkWritable(dst.isReadOnly());
        MemorySegment tmp = MemorySegment.ofArray(new byte[(int) Math.min(dst.byteSize(), MAX_CALL)]);
        return after(home.run(f, () -> f.handle.readAt(tmp, position)), n -> {
            if (n > 0) {
                MemorySegment.copy(tmp, 0, dst, 0, n);
            }
            return n;
        }, null);
    }

    static CancellableFuture<Void> readExactAt(OnHome home, File f, ByteBuffer dst, long position) {
        checkWritable(dst.isReadOnly());
        ByteBuffer tmp = ByteBuffer.allocate(dst.remaining());
        Runnable copy = () -> dst.put(tmp.flip()); // what was read, also before a failure (its end of file)
        return after(home.run(f, () -> FileLoops.readExact(f.handle, tmp, position)), v -> {
            copy.run();
            return null;
        }, copy);
    }

    /** How far a failed read filled its buffer is not reported for a segment: a failure copies nothing. */
    static CancellableFuture<Void> readExactAt(OnHome home, File f, MemorySegment dst, long position) {
        checkWritable(dst.isReadOnly());
        MemorySegment tmp = Arena.ofAuto().allocate(dst.byteSize());
        return after(home.run(f, () -> FileLoops.readExact(f.handle, tmp, position, 1)), v -> {
            MemorySegment.copy(tmp, 0, dst, 0, dst.byteSize());
            return null;
        }, null);
    }

    static CancellableFuture<Integer> writeAt(OnHome home, File f, ByteBuffer src, long position) {
        int len = Math.min(src.remaining(), MAX_CALL);
        ByteBuffer tmp = ByteBuffer.allocate(len).put(src.slice(src.position(), len)).flip();
        return after(home.run(f, () -> f.handle.writeAt(tmp, position)), n -> {
            src.position(src.position() + n);
            return n;
        }, null);
    }

    static CancellableFuture<Integer> writeAt(OnHome home, File f, MemorySegment src, long position) {
        long len = Math.min(src.byteSize(), MAX_CALL);
        MemorySegment tmp = MemorySegment.ofArray(new byte[(int) len]).copyFrom(src.asSlice(0, len));
        return after(home.run(f, () -> f.handle.writeAt(tmp, position)), n -> n, null);
    }

    static CancellableFuture<Void> writeAllAt(OnHome home, File f, ByteBuffer src, long position) {
        int start = src.position();
        ByteBuffer tmp = ByteBuffer.allocate(src.remaining()).put(src.duplicate()).flip();
        Runnable advance = () -> src.position(start + tmp.position()); // what was written, also before a failure
        return after(home.run(f, () -> FileLoops.writeAll(f.handle, tmp, position)), v -> {
            advance.run();
            return null;
        }, advance);
    }

    private static void checkWritable(boolean readOnly) {
        if (readOnly) {
            throw new IllegalArgumentException("read into a read-only buffer");
        }
    }

    /**
     * {@code inner}'s value passed through {@code ready}, on the caller's
     * thread; a failure runs {@code failed} (if any) first, then is thrown.
     * Given up, neither runs: {@code inner} is cancelled.
     */
    private static <T, R> CancellableFuture<R> after(CancellableFuture<T> inner, Function<T, R> ready,
                                                     Runnable failed) {
        return new CancellableFuture<>() {
            @Override
            public Poll<R> poll(Context cx) {
                Poll<T> p;
                try {
                    p = inner.poll(cx);
                } catch (RuntimeException | Error e) {
                    if (failed != null) {
                        failed.run();
                    }
                    throw e;
                }
                return p.isReady() ? Poll.ready(ready.apply(p.get())) : Poll.pending();
            }

            @Override
            public void cancel() {
                inner.cancel();
            }
        };
    }
}
