package io.weft.diag;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.PollTimes;
import org.junit.jupiter.api.Test;

/** The poll-time buckets: every value lands in the bucket whose bounds hold it, each at most 25 % wide. */
class PollHistogramTest {

    @Test
    void everyValueLandsInTheBucketThatHoldsItAndBucketsAreAtMostAQuarterWide() {
        PollTimes empty = new PollHistogram().snapshot();
        long[] upper = empty.upperNanos();
        assertThat(upper).hasSize(PollHistogram.BUCKETS);
        for (int i = 1; i < upper.length; i++) {
            long lower = upper[i - 1];
            assertThat(upper[i]).isGreaterThan(lower);
            if (i > 1) {
                assertThat((double) (upper[i] - lower) / lower).as("bucket %d", i).isLessThanOrEqualTo(0.25);
            }
        }
        long[] probes = {0, 1, 127, 128, 159, 160, 1_000, 65_535, 1_000_000, 999_999_999L, 60_000_000_000L};
        for (long v : probes) {
            int b = PollHistogram.bucket(v);
            long lo = b == 0 ? 0 : upper[b - 1];
            assertThat(v).as("value %d in bucket %d", v, b).isGreaterThanOrEqualTo(lo).isLessThan(upper[b]);
        }
        assertThat(PollHistogram.bucket(Long.MAX_VALUE)).isEqualTo(PollHistogram.BUCKETS - 1);
        assertThat(upper[upper.length - 1]).as("about a minute").isGreaterThan(60_000_000_000L);
    }

    @Test
    void aSnapshotCountsWhatWasRecorded() {
        PollHistogram h = new PollHistogram();
        for (int i = 0; i < 90; i++) {
            h.record(1_000);
        }
        for (int i = 0; i < 10; i++) {
            h.record(5_000_000);
        }
        PollTimes t = h.snapshot();
        assertThat(t.total()).isEqualTo(100);
        assertThat(t.quantileNanos(0.5)).isBetween(1_000L, 1_250L);
        assertThat(t.quantileNanos(0.95)).isBetween(5_000_000L, 6_250_000L);
    }
}
