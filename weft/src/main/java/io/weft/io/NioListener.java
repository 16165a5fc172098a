package io.weft.io;

import io.weft.CancellableFuture;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A listening stream socket (TCP or Unix) of the {@link NioDriver}. Accept
 * is synchronous in java.nio, so a cancelled accept never took a
 * connection: the next accept gets it.
 */
public final class NioListener extends NioSocket implements ListenerHandle {
    private final ServerSocketChannel ch;

    NioListener(NioDriver driver, ServerSocketChannel ch) {
        super(driver, ch);
        this.ch = ch;
    }

    @Override
    protected int opOf(int bit) {
        return bit == NioOp.READ ? SelectionKey.OP_ACCEPT : 0;
    }

    @Override
    public CancellableFuture<StreamHandle> accept() {
        return new AcceptOp(this);
    }

    @Override
    public String toString() {
        return "NioListener[" + ch + (closed ? ", closed]" : "]");
    }

    /** {@link ServerSocketChannel#accept}: null means it would block. */
    static final class AcceptOp extends NioOp<StreamHandle> {
        AcceptOp(NioListener l) {
            super(l);
        }

        @Override
        public int interest() {
            return READ;
        }

        @Override
        String call() {
            return "accept";
        }

        @Override
        StreamHandle attempt() throws IOException {
            SocketChannel c = ((NioListener) socket).ch.accept();
            return c == null ? null : driver.adopt(c, false);
        }
    }
}
