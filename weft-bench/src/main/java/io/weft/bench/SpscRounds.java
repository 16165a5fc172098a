package io.weft.bench;

import io.weft.LocalExecutor;
import io.weft.sync.SpscChannel;
import java.util.Arrays;

/**
 * {@code SpscBench}'s two rows as rounds in one plain JVM, to see the
 * spread that JMH's averages hide: each round sends 1,000,000 values from
 * a task of one executor to a task of another through an
 * {@link SpscChannel} of 1,024, then (unless the second argument is
 * {@code weft}) through a JCTools {@code SpscArrayQueue} behind
 * {@link ParkingQueue}'s park/unpark handshake, between two plain
 * threads. Prints mean, percentiles and the slowest round of each, ns per
 * value, the first fifth of the rounds dropped as warm-up.
 *
 * <p>{@code java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED -Xms2g -Xmx2g -cp weft-bench/target/benchmarks.jar io.weft.bench.SpscRounds 100 [weft]}
 */
public class SpscRounds {
    static final int VALUES = 1_000_000;
    static final Integer BOXED = 7;

    public static void main(String[] a) throws Exception {
        int rounds = a.length > 0 ? Integer.parseInt(a[0]) : 100;
        double[] w = new double[rounds], j = new double[rounds];
        try (LocalExecutor consumer = LocalExecutor.builder().name("spsc-rounds-consumer").build()) {
            for (int r = 0; r < rounds; r++) {
                w[r] = weft(consumer);
                j[r] = a.length > 1 && a[1].equals("weft") ? 0 : jctools();
            }
        }
        int skip = rounds / 5;
        System.out.println("weft    " + stats(Arrays.copyOfRange(w, skip, rounds)));
        if (j[0] != 0) {
            System.out.println("jctools " + stats(Arrays.copyOfRange(j, skip, rounds)));
        }
    }

    static String stats(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElse(0);
        return String.format("n %d mean %.2f p10 %.2f p25 %.2f median %.2f p75 %.2f p90 %.2f max %.2f", s.length, mean,
                s[s.length / 10], s[s.length / 4], s[s.length / 2], s[3 * s.length / 4], s[9 * s.length / 10], s[s.length - 1]);
    }

    static double weft(LocalExecutor consumer) throws Exception {
        SpscChannel<Integer> ch = SpscChannel.create(1024);
        Thread producer = Thread.ofPlatform().start(() -> {
            try (LocalExecutor ex = LocalExecutor.builder().name("spsc-rounds-producer").build()) {
                ex.run(() -> {
                    for (int i = 0; i < VALUES; i++) {
                        ch.sender().send(BOXED).await();
                    }
                    return null;
                });
            }
        });
        long t0 = System.nanoTime();
        long sum = consumer.run(() -> {
            long s = 0;
            for (int i = 0; i < VALUES; i++) {
                s += ch.receiver().recv().await();
            }
            return s;
        });
        long t1 = System.nanoTime();
        producer.join();
        if (sum != (long) VALUES * BOXED) {
            throw new AssertionError("lost values: " + sum);
        }
        return (t1 - t0) / (double) VALUES;
    }

    static double jctools() throws Exception {
        ParkingQueue<Integer> q = ParkingQueue.spsc(1024);
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < VALUES; i++) {
                q.put(BOXED);
            }
        });
        long t0 = System.nanoTime();
        long s = 0;
        for (int i = 0; i < VALUES; i++) {
            s += q.take();
        }
        long t1 = System.nanoTime();
        producer.join();
        if (s != (long) VALUES * BOXED) {
            throw new AssertionError("lost values: " + s);
        }
        return (t1 - t0) / (double) VALUES;
    }
}
