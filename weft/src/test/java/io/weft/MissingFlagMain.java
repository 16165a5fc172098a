package io.weft;

/**
 * Run by {@link FlagTest} in a child JVM without
 * {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}.
 */
public final class MissingFlagMain {
    private MissingFlagMain() {
    }

    public static void main(String[] args) {
        // block_on needs no continuation: it works without the flag
        Future<Integer> ready = cx -> Poll.ready(5);
        System.out.println("block_on " + ready.await());
        try (var ex = LocalExecutor.create()) {
            if (args.length > 0 && args[0].equals("from-poll")) {
                // a poll-based root task that spawns a coroutine task
                ex.run((Future<Object>) cx -> Poll.ready(Weft.spawn(() -> 1)));
            } else {
                ex.run(() -> Weft.spawn(() -> 1).await());
            }
        }
        System.out.println("unreachable");
    }
}
