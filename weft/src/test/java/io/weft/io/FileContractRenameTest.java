package io.weft.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/**
 * How java.nio's file exceptions are renamed on epoll and nio
 * ({@link FileContract#rename}): the call and the errno in the message, an
 * instance of java.nio's type, java.nio's exception as the cause. The
 * driver suite (io.weft.fs.FileContractTest) checks the real ones.
 */
class FileContractRenameTest {

    @Test
    void aStrerrorTextBecomesItsErrnoAndTheTypeIoUringGives() {
        IOException jdk = new IOException("Is a directory");
        IOException r = FileContract.rename("pread", "/d", jdk);
        assertThat(r).isExactlyInstanceOf(FileSystemException.class).hasMessage("/d: pread: EISDIR (Is a directory)")
                .hasCause(jdk);
    }

    @Test
    void theTypeNamesTheErrnoWhenTheJdkGivesNoReason() {
        NoSuchFileException missing = new NoSuchFileException("/m");
        assertThat(FileContract.rename("open", "/m", missing)).isExactlyInstanceOf(NoSuchFileException.class)
                .hasMessage("/m: open: ENOENT (No such file or directory)").hasCause(missing);
        AccessDeniedException denied = new AccessDeniedException("/s");
        assertThat(FileContract.rename("open", "/s", denied)).isExactlyInstanceOf(AccessDeniedException.class)
                .hasMessage("/s: open: EACCES (Permission denied)");
        // java.nio says FileSystemException for EPERM; the errno's type is a subclass of it
        FileSystemException perm = new FileSystemException("/p", null, "Operation not permitted");
        assertThat(FileContract.rename("open", "/p", perm)).isInstanceOf(AccessDeniedException.class)
                .hasMessage("/p: open: EPERM (Operation not permitted)");
    }

    @Test
    void aLongerStrerrorTextWinsAndAnAddedTailIsAllowed() {
        assertThat(FileContract.rename("open", "/f", new FileSystemException("/f", null, "Too many open files in system")))
                .hasMessage("/f: open: ENFILE (Too many open files in system)");
        assertThat(FileContract.rename("open", "/l", new FileSystemException("/l", null,
                "Too many levels of symbolic links or unable to access attributes of symbolic link")))
                .hasMessage("/l: open: ELOOP (Too many levels of symbolic links)");
    }

    @Test
    void anUnknownTextKeepsItsWordsAfterTheCall() {
        IOException odd = new IOException("Stale gremlins");
        assertThat(FileContract.rename("fsync", "/g", odd)).isExactlyInstanceOf(FileSystemException.class)
                .hasMessage("/g: fsync: Stale gremlins").hasCause(odd);
    }

    @Test
    void ebadfIsClosedChannelWithTheCallInItsCauseAndJavaNiosSuppressed() {
        IOException jdk = new IOException("Bad file descriptor");
        IOException r = FileContract.rename("pread", "/b", jdk);
        assertThat(r).isInstanceOf(ClosedChannelException.class);
        assertThat(r.getCause()).hasMessage("pread: EBADF (Bad file descriptor) on /b");
        assertThat(r.getSuppressed()).containsExactly(jdk);
    }

    @Test
    void aTypeThatCannotBeRecreatedOrAClosedChannelIsKept() {
        FileSystemLoopException loop = new FileSystemLoopException("/x");
        assertThat(FileContract.rename("open", "/x", loop)).isSameAs(loop);
        ClosedChannelException closed = new ClosedChannelException();
        assertThat(FileContract.rename("pread", "/x", closed)).isSameAs(closed);
    }
}
