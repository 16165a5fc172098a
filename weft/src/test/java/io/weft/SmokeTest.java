package io.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void spawnJoinYieldAbort() {
        try (var ex = LocalExecutor.create()) {
            int r = ex.run(() -> {
                var hs = new ArrayList<JoinHandle<Integer>>();
                for (int i = 0; i < 1000; i++) {
                    int k = i;
                    hs.add(Weft.spawn(() -> {
                        Weft.yieldNow().await();
                        return k;
                    }));
                }
                int sum = 0;
                for (var h : hs) {
                    sum += h.await();
                }
                return sum;
            });
            assertThat(r).isEqualTo(999 * 1000 / 2);
            List<String> log = new ArrayList<>();
            ex.run(() -> {
                var h = Weft.spawn(() -> {
                    try {
                        Weft.sleep(java.time.Duration.ofDays(1)).await();
                    } finally {
                        log.add("finally");
                    }
                });
                Weft.yieldNow().await();
                h.abort();
                assertThatThrownBy(h::await).isInstanceOf(TaskCancelledException.class);
                return null;
            });
            assertThat(log).containsExactly("finally");
        }
    }
}
