package io.weft.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The kept bytes of a stream: what came later goes after, what is handed back goes first, and none is lost. */
class KeptBytesTest {

    static MemorySegment ascii(String s) {
        return MemorySegment.ofArray(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Takes up to {@code n} bytes. */
    static String take(KeptBytes k, int n) {
        byte[] b = new byte[n];
        int got = k.take(MemorySegment.ofArray(b));
        return new String(b, 0, got, StandardCharsets.US_ASCII);
    }

    @Test
    void keptBytesComeOutInOrderAcrossPartialTakes() {
        KeptBytes k = new KeptBytes();
        assertThat(k.isEmpty()).isTrue();
        assertThat(take(k, 4)).isEmpty();
        k.keep(ascii("abc"));
        k.keep(ascii("def"));
        assertThat(take(k, 2)).isEqualTo("ab");
        k.keep(ascii("g"));
        assertThat(take(k, 10)).isEqualTo("cdefg");
        assertThat(k.isEmpty()).isTrue();
    }

    @Test
    void bytesHandedBackGoBeforeThoseNotYetTaken() {
        KeptBytes k = new KeptBytes();
        k.keep(ascii("0123456"));
        assertThat(take(k, 3)).isEqualTo("012");
        k.unread("xy".getBytes(StandardCharsets.US_ASCII));
        assertThat(take(k, 3)).isEqualTo("xy3");
        k.unread(new byte[0]);
        k.unread("z".getBytes(StandardCharsets.US_ASCII));
        assertThat(take(k, 10)).isEqualTo("z456");
        k.unread("only".getBytes(StandardCharsets.US_ASCII));
        assertThat(take(k, 10)).isEqualTo("only");
    }

    @Test
    void aDrainTakesEverythingLeftOnce() {
        KeptBytes k = new KeptBytes();
        assertThat(k.drain()).isNull();
        k.keep(ascii("abcdef"));
        take(k, 2);
        k.unread("X".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(k.drain(), StandardCharsets.US_ASCII)).isEqualTo("Xcdef");
        assertThat(k.isEmpty()).isTrue();
        assertThat(k.drain()).isNull();
    }

    @Test
    void aTakeIntoABufferFillsFromItsPositionAndMovesIt() {
        KeptBytes k = new KeptBytes();
        k.keep(ascii("abcdef"));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(6).put((byte) 'x').limit(4);
        assertThat(k.take(b)).isEqualTo(3);
        assertThat(b.position()).isEqualTo(4);
        assertThat(new String(b.array(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("xabc");
        assertThat(take(k, 10)).isEqualTo("def");
    }

    @Test
    void anUnreadArrayIsCopiedNotShared() {
        KeptBytes k = new KeptBytes();
        byte[] b = "ab".getBytes(StandardCharsets.US_ASCII);
        k.unread(b);
        b[0] = 'Z';
        assertThat(take(k, 2)).isEqualTo("ab");
    }
}
