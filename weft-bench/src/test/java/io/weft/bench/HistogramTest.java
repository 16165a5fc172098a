package io.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HistogramTest {

    @Test
    void bucketsAreContiguousAndWithinThreePercent() {
        int prev = -1;
        for (long v = 0; v < 10_000_000; v += 1 + v / 1000) {
            int i = Histogram.index(v);
            assertThat(i).isBetween(prev, prev + 1);
            assertThat(Histogram.highest(i)).isGreaterThanOrEqualTo(v);
            assertThat(Histogram.highest(i) - v).isLessThanOrEqualTo(Math.max(1, v / 32));
            prev = i;
        }
        assertThat(Histogram.index(Long.MAX_VALUE)).isLessThan(64 + 58 * 32);
    }

    @Test
    void percentilesOfAKnownSpread() {
        Histogram h = new Histogram();
        for (int i = 1; i <= 1000; i++) {
            h.record(i * 1000L); // 1..1000 us
        }
        assertThat(h.count()).isEqualTo(1000);
        assertThat(h.max()).isEqualTo(1_000_000);
        assertThat(h.percentile(0.5)).isBetween(500_000L, 516_000L);
        assertThat(h.percentile(0.99)).isBetween(990_000L, 1_000_000L);
        assertThat(h.percentile(1.0)).isEqualTo(1_000_000);

        Histogram other = new Histogram();
        other.record(5_000_000);
        h.add(other);
        assertThat(h.count()).isEqualTo(1001);
        assertThat(h.max()).isEqualTo(5_000_000);
        h.reset();
        assertThat(h.count()).isZero();
        assertThat(h.percentile(0.99)).isZero();
    }
}
