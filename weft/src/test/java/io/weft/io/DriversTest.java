package io.weft.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weft.Driver;
import io.weft.LocalExecutor;
import io.weft.Weft;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Driver selection: builder, then the weft.driver property, then the first that opens. */
class DriversTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(Drivers.PROPERTY);
    }

    static Driver used(LocalExecutor.Builder b) {
        try (LocalExecutor ex = b.build()) {
            return ex.run(() -> Weft.current().driver());
        }
    }

    @Test
    void theDefaultIsTheFirstThatOpens() {
        Driver first = null;
        for (Driver d : Driver.values()) {
            if (Drivers.isAvailable(d)) {
                first = d;
                break;
            }
        }
        assertThat(used(LocalExecutor.builder())).isEqualTo(first);
    }

    @Test
    void thePropertyChoosesAndTheBuilderWins() {
        assumeTrue(Drivers.isAvailable(Driver.EPOLL), "epoll unavailable");
        System.setProperty(Drivers.PROPERTY, "epoll");
        assertThat(used(LocalExecutor.builder())).isEqualTo(Driver.EPOLL);
        for (Driver d : Driver.values()) {
            if (d != Driver.EPOLL && Drivers.isAvailable(d)) {
                assertThat(used(LocalExecutor.builder().driver(d))).isEqualTo(d);
            }
        }
    }

    @Test
    void aBadPropertyValueIsNamed() {
        System.setProperty(Drivers.PROPERTY, "kqueue");
        assertThatThrownBy(() -> used(LocalExecutor.builder()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weft.driver=kqueue").hasMessageContaining("uring, epoll or nio");
    }

    @Test
    void aDriverThatCannotStartSaysWhy() {
        for (Driver d : Driver.values()) {
            String why = Drivers.whyNot(d);
            if (why != null) {
                assertThatThrownBy(() -> used(LocalExecutor.builder().driver(d)))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(d.propertyName() + " driver cannot start here")
                        .hasMessageContaining(why);
            }
        }
    }
}
