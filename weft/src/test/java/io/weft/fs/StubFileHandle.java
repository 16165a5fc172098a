package io.weft.fs;

import io.weft.CancellableFuture;
import io.weft.io.FileHandle;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A file handle for tests: open, usable from any thread, with no operation
 * of its own; a test overrides the operations it calls, and any other one
 * throws, naming itself.
 */
abstract class StubFileHandle implements FileHandle {
    private final String path;

    StubFileHandle(String path) {
        this.path = path;
    }

    private UnsupportedOperationException notHere(String op) {
        return new UnsupportedOperationException(op + " of " + path + ": not in this test");
    }

    @Override
    public CancellableFuture<Integer> readAt(ByteBuffer dst, long position) {
        throw notHere("readAt");
    }

    @Override
    public CancellableFuture<Integer> readAt(MemorySegment dst, long position) {
        throw notHere("readAt");
    }

    @Override
    public CancellableFuture<Integer> writeAt(ByteBuffer src, long position) {
        throw notHere("writeAt");
    }

    @Override
    public CancellableFuture<Integer> writeAt(MemorySegment src, long position) {
        throw notHere("writeAt");
    }

    @Override
    public CancellableFuture<Long> size() {
        throw notHere("size");
    }

    @Override
    public CancellableFuture<Void> fsync() {
        throw notHere("fsync");
    }

    @Override
    public void check(int access) {
    }

    @Override
    public void checkThread() {
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
    }
}
