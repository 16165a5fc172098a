package io.weft.io;

import io.weft.CancellableFuture;
import java.io.IOException;
import java.net.SocketAddress;

/** A listening stream socket of one driver, used by the loop thread of the executor that made it. */
public interface ListenerHandle {

    /** The next connection. */
    CancellableFuture<StreamHandle> accept();

    SocketAddress localAddress() throws IOException;

    boolean isOpen();

    /** Closes; idempotent. Pending accepts fail with ClosedChannelException. */
    void close();
}
