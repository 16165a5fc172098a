package io.weft;

/** Run by {@link PlacementTest} in a JVM confined to one CPU. */
public final class PlacementMain {
    private PlacementMain() {
    }

    public static void main(String[] args) {
        try (var pool = LocalExecutorPool.builder().executors(2).placement(Placement.maxSpread()).build()) {
            System.out.println("unexpected: the pool started");
        } catch (IllegalArgumentException e) {
            System.out.println(e);
        }
        try (var pool = LocalExecutorPool.builder().executors(2).build()) {
            int n = pool.spawnOnEach(() -> 1).stream().mapToInt(JoinHandle::await).sum();
            System.out.println("unbound pool ran on " + n + " executors");
        }
    }
}
