package io.weft.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The example servers' options: the executor kind, and what is refused with a reason. */
class ServerArgsTest {

    @Test
    void theExecutorKindIsAPoolUnlessStealingIsAsked() {
        assertThat(ServerArgs.parse(new String[] {"--port", "1"}, 2).stealing()).isFalse();
        assertThat(ServerArgs.parse(new String[] {"--executor", "pool"}, 2).stealing()).isFalse();
        ServerArgs a = ServerArgs.parse(new String[] {"--executor", "stealing", "--executors", "2"}, 2);
        assertThat(a.stealing()).isTrue();
        assertThat(a.executors()).isEqualTo(2);
        assertThatThrownBy(() -> ServerArgs.parse(new String[] {"--executor", "forkjoin"}, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected pool or stealing");
    }

    @Test
    void aServerWithoutAStealingModeRefusesItByName() {
        ServerArgs a = ServerArgs.parse(new String[] {"--executor", "stealing"}, 2);
        assertThatThrownBy(() -> a.serveOnEach("relay", () -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("relay: --executor stealing is not supported by this server yet");
    }
}
