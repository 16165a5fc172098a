package io.weft;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.coro.Await;
import io.weft.task.Budget;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cooperative budget: 128 leaf-future operations per poll. */
class BudgetTest {

    @Test
    void awaitingAnAlwaysReadyHandleInALoopLetsOtherTasksRun() {
        final int awaits = 10_000;
        List<String> order = new ArrayList<>();
        try (var ex = LocalExecutor.create()) {
            long[] repolls = new long[1];
            ex.run(() -> {
                var finished = Weft.spawn(() -> 1);
                finished.await();
                var spinner = Weft.spawn(() -> {
                    order.add("spinner start");
                    int sum = 0;
                    for (int i = 0; i < awaits; i++) {
                        sum += finished.await();
                    }
                    order.add("spinner end " + sum);
                });
                var other = Weft.spawn(() -> {
                    order.add("other");
                });
                spinner.await();
                other.await();
                return null;
            });
            assertThat(order).containsExactly("spinner start", "other", "spinner end " + awaits);

            // exactly one suspension per 128 ready awaits
            ex.run(() -> {
                var finished = Weft.spawn(() -> 1);
                finished.await();
                Weft.yieldNow().await(); // a fresh poll with a full budget
                long before = Weft.current().stats().polls();
                for (int i = 0; i < awaits; i++) {
                    finished.await();
                }
                repolls[0] = Weft.current().stats().polls() - before;
                return null;
            });
            assertThat(repolls[0]).isEqualTo((awaits - 1) / 128);
        }
    }

    @EveryKind
    void consumeBudgetReturnsFalseAfter128ConsumptionsWithinOnePoll(ExecutorKind kind) {
        List<Boolean> firstPoll = new ArrayList<>();
        List<Boolean> secondPoll = new ArrayList<>();
        AtomicInteger polls = new AtomicInteger();
        Future<String> probe = cx -> {
            List<Boolean> into = polls.incrementAndGet() == 1 ? firstPoll : secondPoll;
            for (int i = 0; i < 130; i++) {
                into.add(cx.consumeBudget());
            }
            if (into == firstPoll) {
                cx.waker().wake();
                return Poll.pending();
            }
            return Poll.ready("ok");
        };
        try (var ex = kind.open()) {
            assertThat(ex.run(() -> Weft.spawn(probe).await())).isEqualTo("ok");
        }
        for (List<Boolean> l : List.of(firstPoll, secondPoll)) {
            assertThat(l.subList(0, 128)).containsOnly(true);
            assertThat(l.subList(128, 130)).containsExactly(false, false);
        }
    }

    @EveryKind
    void budgetIsSharedAcrossAwaitsWithinOneTurnOfACoroutine(ExecutorKind kind) {
        List<Boolean> seen = new ArrayList<>();
        Future<Boolean> spender = cx -> Poll.ready(cx.consumeBudget());
        try (var ex = kind.open()) {
            ex.run(() -> {
                Weft.yieldNow().await();
                for (int i = 0; i < 129; i++) {
                    seen.add(spender.await());
                }
                return null;
            });
        }
        assertThat(seen.subList(0, 128)).containsOnly(true);
        assertThat(seen.get(128)).isFalse();
    }

    /**
     * What a poll defers (an SpscChannel sender's fence) runs once, in order,
     * when that poll ends, before the task's next poll: each executor's loop
     * calls {@code Budget.pollEnded()} after every task poll.
     */
    @EveryKind
    void whatAPollDefersRunsOnceWhenThatPollEnds(ExecutorKind kind) {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        try (var ex = kind.open()) {
            ex.run(() -> {
                Weft.yieldNow().await();
                Budget poll = Await.spendInTaskBudget();
                poll.deferToPollEnd(() -> events.add("deferred 1"));
                poll.deferToPollEnd(() -> events.add("deferred 2"));
                poll.deferToPollEnd(() -> events.add("deferred 3"));
                events.add("the poll goes on");
                Weft.yieldNow().await(); // the poll ends here
                events.add("the next poll");
                Weft.yieldNow().await();
                events.add("the poll after");
                return null;
            });
        }
        assertThat(events).containsExactly("the poll goes on", "deferred 1", "deferred 2", "deferred 3",
                "the next poll", "the poll after");
    }

    @Test
    void handMadeContextHasNoBudgetLimit() {
        var cx = new Context(() -> { });
        for (int i = 0; i < 1000; i++) {
            assertThat(cx.consumeBudget()).isTrue();
        }
    }
}
