/**
 * Synchronization between tasks: {@link io.weft.sync.Channel} (with
 * {@link io.weft.sync.Sender} / {@link io.weft.sync.Receiver}),
 * {@link io.weft.sync.Oneshot}, {@link io.weft.sync.Notify},
 * {@link io.weft.sync.Semaphore}, {@link io.weft.sync.Mutex}, {@link io.weft.sync.RwLock},
 * {@link io.weft.sync.CancellationToken}, {@link io.weft.sync.Barrier},
 * {@link io.weft.sync.Broadcast} and {@link io.weft.sync.Watch}; between executors,
 * {@link io.weft.sync.SpscChannel} (one producer executor, one consumer
 * executor, no lock), {@link io.weft.sync.ChannelMesh} (a channel per pair
 * of N executors) and {@link io.weft.sync.Sharded} (values routed to an
 * executor by key). Every operation that may wait returns a
 * {@link io.weft.sync.WaitFuture}; {@code await()} it.
 *
 * <h2>Cancel safety</h2>
 * Every {@code WaitFuture} keeps the {@link io.weft.CancellableFuture}
 * contract: a wait given up (an aborted await, a Timeout, a lost select or
 * race, a failed join) leaves the primitive as if it had never been asked,
 * and what was handed to it goes on. Per operation:
 * <table>
 *   <caption>What cancelling a pending operation keeps</caption>
 *   <tr><th>operation</th><th>cancelled while queued</th><th>cancelled after it was handed something</th></tr>
 *   <tr><td>{@code Semaphore.acquire}, {@code Mutex.lock}, {@code RwLock.read}/{@code write}</td>
 *       <td>leaves the queue; the waiters behind it may now be served</td>
 *       <td>the permits (the lock) go back and on to the next waiters</td></tr>
 *   <tr><td>{@code Receiver.recv} ({@code Channel})</td><td>leaves the queue</td>
 *       <td>the value stays in the channel; the wake-up goes to the next receiver</td></tr>
 *   <tr><td>{@code Sender.send} ({@code Channel})</td><td>nothing was sent</td>
 *       <td>nothing was sent; the free slot's wake-up goes to the next sender</td></tr>
 *   <tr><td>{@code Oneshot.recv}</td><td>the value, when sent, waits for the next recv</td>
 *       <td>the value stays for the next recv or tryRecv</td></tr>
 *   <tr><td>{@code Notify.notified}</td><td>leaves the queue</td>
 *       <td>a {@code notifyOne} goes to the next waiter, or is stored as the permit</td></tr>
 *   <tr><td>{@code Broadcast.Receiver.recv}, {@code Watch.Receiver.changed}</td><td>leaves the queue</td>
 *       <td>nothing is consumed: the value (version) stays unseen at the receiver's cursor</td></tr>
 *   <tr><td>{@code Barrier.arrive}</td><td>no longer counts as arrived</td>
 *       <td>the barrier had tripped: nothing changes for the others</td></tr>
 *   <tr><td>{@code CancellationToken.cancelled}</td><td>leaves the queue</td><td>nothing to hand on</td></tr>
 *   <tr><td>{@code SpscReceiver.recv}, {@code MeshConnection.recvFrom}</td><td>leaves its side's queue</td>
 *       <td>took nothing: the value stays in the ring; the wake-up goes to the next recv of that side</td></tr>
 *   <tr><td>{@code SpscSender.send}, {@code MeshConnection.sendTo}, {@code Sharded.Shard.send}</td>
 *       <td>nothing was sent</td>
 *       <td>nothing was sent; the free slot's wake-up goes to the next send of that side</td></tr>
 *   <tr><td>{@code MeshConnection.recvFromAny}</td><td>leaves every peer's queue</td>
 *       <td>took nothing from any peer; each wake-up goes to the next recv of its channel</td></tr>
 *   <tr><td>{@code ChannelMesh.join}</td><td>leaves the mesh (the id is free again) if it is not yet
 *       complete</td><td>the mesh was complete: the membership stays, and the next join on the same
 *       thread takes it over</td></tr>
 * </table>
 * {@code io.weft.CancelMatrixTest} checks every row against every way to
 * give up, in both families; the mesh's rows need several executors and are
 * checked by {@code ChannelMeshTest} instead.
 *
 * <h2>Giving back</h2>
 * A receive that completed inside a combinator that is then given up (a
 * join past its deadline, a join whose other child failed) is handed its
 * value back ({@code io.weft.compose.GivesBack}, on the thread that polled
 * it): a {@code Channel} puts it at the front of its buffer, an SPSC
 * side before what its ring holds (consumer thread only), a
 * {@code Oneshot} clears TAKEN by compare-and-set, a {@code Broadcast}
 * receiver's cursor moves back onto it (if it received nothing since),
 * {@code Notify} passes on a {@code notifyOne} it used, {@code Watch}
 * marks the version unseen again. Once a receiver was told the stream
 * ended (for a oneshot: that the value was received), a value given back
 * does not come back: it is closed if AutoCloseable (a broadcast's, shared,
 * is dropped). {@code io.weft.GiveBackTest}; jcstress
 * {@code OneshotGiveBackTest} for the oneshot's word.
 *
 * <h2>Invariants of each primitive</h2>
 * <ul>
 *   <li>{@code CancellationToken}: a set-once flag in a tree. Cancelling a
 *       token cancels all its descendants and wakes each of their
 *       {@code cancelled()} waiters exactly once; it never cancels an
 *       ancestor or a sibling. A child of a cancelled token is born
 *       cancelled. A cancelled token is off its parent's list of children and
 *       holds none itself (a live child dropped by user code stays reachable
 *       from its live parent until one of them is cancelled). A whole tree
 *       shares its root's access.</li>
 *   <li>{@code Barrier}: {@code n} parties per generation. A party counts
 *       from the first poll of its {@code arrive()}; the {@code n}-th
 *       arrival trips it, is the generation's only leader ({@code true}) and
 *       wakes each waiter of the generation exactly once ({@code false}).
 *       A trip starts a new generation at once. A waiter cancelled before
 *       the trip leaves the queue and no longer counts; one cancelled after
 *       it changes nothing.</li>
 *   <li>{@code RwLock}: a {@code Semaphore} of {@code maxReaders} permits
 *       (as tokio's): a read guard holds one permit, a write guard all of
 *       them, so a write guard never coexists with another guard and at most
 *       {@code maxReaders} read guards exist at once. FIFO: a waiting writer
 *       holds back every reader and writer after it, and
 *       {@code tryRead}/{@code tryWrite} fail while anybody waits; a writer's
 *       release admits at once every reader queued before the next writer. A
 *       waiter cancelled after it was granted hands its permits on; one
 *       cancelled while queued leaves the queue and lets those behind it
 *       try. The value is written only under a write guard and read only
 *       under a guard; the semaphore's access publishes it from one holder to
 *       the next. A guard closes once (closing again does nothing); any other
 *       use after close is an {@link java.lang.IllegalStateException}.</li>
 *   <li>{@code Broadcast}: a ring of the last {@code capacity} values (exact
 *       capacity). A send never waits; it reaches exactly the receivers
 *       subscribed at that moment (it returns their number), and with none,
 *       or on a closed handle, it stores nothing and gives the value back. A
 *       receiver is a cursor: it receives in order every value sent after it
 *       subscribed, until it falls more than {@code capacity} behind; then one
 *       {@code LaggedException} tells it exactly how many it skipped and it
 *       resumes from the oldest value held. A slot's value is released (set
 *       to null) once every receiver counted at its send has received it or
 *       closed. After the last sender closes, each receiver gets what is held
 *       for it (a lag report first), then the end of the stream.</li>
 *   <li>{@code Watch}: one value whose version every store increments. Each
 *       receiver keeps the version it has seen (the current one when it
 *       subscribed); {@code changed()} completes once the stored version is
 *       another and marks it seen, so any number of stores between two
 *       {@code changed()} make one wake and the latest value. {@code send}
 *       needs a live receiver, {@code sendReplace} always stores; a closed
 *       sender freezes the value, and a receiver gets an unseen version
 *       before the end.</li>
 * </ul>
 *
 * <h2>Two families, one algorithm</h2>
 * Each primitive is written once and guards its fields with an
 * {@code Access}:
 * <ul>
 *   <li><b>local</b> ({@code Channel.localBounded}, {@code Semaphore.local},
 *       {@code Mutex.local}, {@code Oneshot.local}, {@code Notify.local},
 *       {@code CancellationToken.local}, {@code Barrier.local},
 *       {@code RwLock.local}, {@code Broadcast.local}, {@code Watch.local}): bound to the executor
 *       whose task created it. No lock, no atomic; every entry checks the
 *       calling thread is that executor's loop thread and throws
 *       {@link java.lang.IllegalStateException} naming both threads
 *       otherwise. An {@code await()} that would park that thread outside
 *       any loop (after {@code run} returned) could never end, so it
 *       throws, queuing nothing ({@code Access.checkMayWait}), where it
 *       hung; a poll by hand, or a task of any executor on that thread,
 *       may still wait.</li>
 *   <li><b>shared</b> ({@code Channel.bounded}, {@code Semaphore.create},
 *       ...): a {@link java.util.concurrent.locks.ReentrantLock} per
 *       primitive. Any thread may use it: a task on any executor, or a
 *       plain thread, whose {@code await()} then parks the thread. The
 *       unlock at the end of every operation pairs with the lock at the
 *       start of the next one, on whatever thread: that is the only
 *       ordering, every guarded field is a plain field.</li>
 * </ul>
 * The shared {@code Oneshot} ({@code Oneshot.create()}) has no lock and an
 * algorithm of its own: one state word (claimed, sent, taken, either side
 * closed, waiters, and a lock bit that guards only the list of waiting
 * recvs), so that a send with nobody waiting is one compare-and-set; its
 * class comment gives the rules, jcstress {@code OneshotSendVsRecvTest},
 * {@code OneshotCloseVsRecvTest} and {@code OneshotWaitersTest} check them.
 * {@code Oneshot.local()} is the local family's channel of capacity one.
 * {@code SpscChannel} (and {@code ChannelMesh} and {@code Sharded}, built
 * on it) is neither: each of its two sides belongs to one thread (the
 * first to use it, or the one that joins the mesh), checked on every entry
 * ({@code ThreadBinding}, an {@link java.lang.IllegalStateException} naming
 * both threads otherwise); a side bound to an executor's loop thread follows
 * the executor if another thread runs it later (as a local primitive does,
 * {@code Access.Local}: a LocalExecutor closed from another thread runs
 * its cancelled tasks' finally blocks there); each side's waiter queue is local to its thread,
 * and the two threads meet only in the ring and in two waker slots,
 * without a lock (the protocol below).
 *
 * <h2>Who touches what</h2>
 * Every mutable field of a primitive, of its handles ({@code Sender.closed},
 * {@code Permit.released}) and of its waiter nodes (state, waker, list
 * links) is read and written only between {@code access.enter()} and
 * {@code access.exit()}. The exceptions: a {@code Mutex}'s or {@code RwLock}'s value and a
 * guard's closed flag belong to the guard holder(s) (the semaphore's
 * lock publishes them to the next holder).
 *
 * <h2>The waiter protocol</h2>
 * A waiting operation is a node ({@code Waiter}) with a state:
 * <ol>
 *   <li><b>IDLE</b>: created, not yet polled.</li>
 *   <li>A poll that cannot complete stores {@code cx.waker()} and appends
 *       the node: <b>QUEUED</b>. A later poll only refreshes the waker.</li>
 *   <li>The side that makes progress possible (a send for receivers, a recv
 *       for senders, a release for acquirers, a close for everybody) removes
 *       the head node, sets it <b>NOTIFIED</b> and calls its waker — under
 *       the access, so the node cannot be cancelled in between. Calling a
 *       waker under the lock is safe: {@code Waker.wake()} only queues a
 *       task (through the owner's remote queue from a foreign thread) or
 *       unparks a thread, and never calls back into the primitive.</li>
 *   <li>For a channel, NOTIFIED is a hint: the value or the free slot stays
 *       in the channel, and the woken poll takes it if it is still there, or
 *       goes back to the <i>head</i> of the queue if a barging caller took
 *       it. For a semaphore, NOTIFIED means the permits were moved to the
 *       node: its next poll returns them; for a {@code Notify}, the
 *       notification was.</li>
 *   <li>A poll that returns ready (or fails) sets <b>DONE</b>; polling again
 *       is an {@link java.lang.IllegalStateException}.</li>
 *   <li><b>cancel</b> (called by whatever gives up on the operation: an
 *       {@code await()} whose task is aborted, a Timeout, a lost select):
 *       QUEUED → unlink; NOTIFIED → hand on what it got (a channel notifies
 *       the next waiter if a value/slot is still there; a semaphore takes
 *       the permits back and grants the next waiters; a notify passes a
 *       {@code notifyOne} to the next waiter or stores it; a cancellation token's or a barrier's
 *       woken waiter has nothing to hand on, a barrier's queued waiter stops
 *       counting as arrived; a broadcast's or watch's woken waiter has
 *       nothing to hand on: every send (store) wakes every waiter, and the
 *       value (version) stays at its receiver's cursor (unseen)); then DONE. So an
 *       aborted waiter never swallows a message or a permit.</li>
 *   <li>A ready operation spends one unit of the task's cooperative budget
 *       first; without budget it wakes itself and stays in its state (a
 *       NOTIFIED node keeps its hint or permits for the next poll).</li>
 * </ol>
 *
 * <h2>The SPSC wake protocol (between two threads, no lock)</h2>
 * An {@code SpscChannel}'s waiter nodes go IDLE, QUEUED, DONE: a node stays
 * in its side's local queue (guarded by nothing but the thread check) until
 * its poll completes or it is cancelled. A wake-up is a hint, as for a
 * channel above; the value (the free slot) stays in the ring until a poll
 * that returns ready takes it. What crosses threads:
 * <pre>
 * slot i:      null --producer: svElement(v)--> v --consumer: svElement(null)--> null
 * recvWaker:   null --consumer, going to sleep: svRecvWaker(w)--> w --producer: xchg(null), then w.wake()
 *                                              w --consumer, not sleeping after all: so(null)
 * sendWaker:   the same, with the roles swapped (producer sleeping on a full ring)
 * </pre>
 * <ol>
 *   <li><b>Slots.</b> The producer fills slot {@code tail} only when it
 *       reads it null; the consumer empties slot {@code head} only when it
 *       reads it non-null (FastFlow, as JCTools' {@code SpscArrayQueue}:
 *       neither side reads the other's index). The value store is a release
 *       that pairs with the consumer's acquire load, so the receiver sees
 *       the value's contents; the null store is a release that pairs with
 *       the producer's acquire load, so the slot is reused only after the
 *       consumer read it. The producer looks a quarter ring ahead
 *       ({@code lookAhead}): a null slot there proves every slot before it
 *       free, as the consumer frees slots in order.</li>
 *   <li><b>Empty: the consumer goes to sleep.</b> The first waiting recv
 *       stores its waker ({@code svRecvWaker}), then reads the slot and
 *       {@code senderClosed} again; only if both are still empty/open does
 *       it sleep. The producer stores a value ({@code svElement}) or its
 *       close ({@code svSenderClosed}), then reads {@code recvWaker}. Both
 *       sides store, then load, with volatile (sequentially consistent)
 *       accesses: a Dekker pair. So at least one sees the other: the
 *       consumer finds the value, or the producer finds the waker; if both
 *       do, the consumer withdraws its waker and takes the value, and the
 *       producer's take ({@code xchg}) finds null (nobody woken) or came
 *       first (a spurious wake, harmless: a woken task polls again). On the
 *       fast road of {@code await()} each side defers its half's fence to
 *       the end of its task's poll (6). jcstress pins each direction
 *       ({@code SpscWakeTest}).</li>
 *   <li><b>Full: the producer goes to sleep.</b> The same pair with the
 *       roles swapped: the first waiting send stores {@code sendWaker}, then
 *       reads the slot and {@code receiverClosed}; the consumer stores null
 *       into the slot or its close, then reads {@code sendWaker}.</li>
 *   <li><b>Only the first waiter of a side sleeps on the other side;
 *       hand-on.</b> The others wait in the side's local queue. Whenever
 *       the first waiter may have changed (it completed, failed or was
 *       cancelled) or a value may be left for it, the side serves its new
 *       first waiter: it registers that waiter's waker as in 2/3 and, if the
 *       re-check finds a value (room) or a close, wakes it at once (a local
 *       wake); with nobody left the side withdraws its registration. So the
 *       wake-up given to a waiter that is cancelled before it polls reaches
 *       the one behind it ({@code SpscWakeTest.CancelledRecvVsSend}).</li>
 *   <li>The fast path touches no waker slot of its own side: a send or recv
 *       that finds a value (room) pays one volatile store (its half of the
 *       pair the other side sleeps with) and one load of the other side's
 *       waker slot, which that side writes only when it sleeps (on the
 *       fast road of {@code await()}, the store's fence once a poll, 6).</li>
 *   <li>A send or recv on the fast road of {@code await()} in a coroutine
 *       task pays no fence: it stores its value (its null) with a release
 *       store and looks at the other side's waker at once (a load that may
 *       pass the store, so it can miss the other side going to sleep at that
 *       moment, never one asleep before), and defers the fence to the end of
 *       the task's poll ({@code Budget.deferToPollEnd}, once a poll per
 *       channel and side): there the executor's loop, before it polls
 *       anything else or parks, runs a full fence and the volatile load of
 *       the waker, that side's half of its Dekker pair, and wakes what it
 *       finds. So a sleeper is never lost; one that went to sleep just as a
 *       value (a free slot) came is woken when the other side's poll ends,
 *       not at the operation ({@code SpscWakeTest.DeferredSendVsSleepingRecv}
 *       and {@code DeferredRecvVsSleepingSend}; without the fence each sees
 *       lost wake-ups).</li>
 *   <li><b>A send against the receiver's close.</b> A send looks at the
 *       close, then puts its value in; a consumer that closed, then drained
 *       and found the ring empty, must not call the end while such a send
 *       may still put a value there (it would be neither received nor given
 *       back). Two pairs, one per road. The ordinary road stores first
 *       (volatile), then looks at the close; if it finds it, it takes its
 *       value back by compare-and-set, and the consumer, once it closed,
 *       takes by compare-and-set too ({@code closedHere}): exactly one of
 *       them has the value. The fast road marks the send under way
 *       ({@code fenceOwed}, a volatile store, once a poll) before its look
 *       at the close, and clears the mark (volatile) at the poll's end,
 *       after the fence that puts its values out, then looks at the
 *       consumer's waker; the consumer, after its close's volatile store,
 *       reads the mark before its last look at the slot: set, it does not
 *       call the end but waits (asleep, woken by that poll's end) for the
 *       value. jcstress {@code SpscCloseTest} (both roads; without these
 *       pairs, 0.04 to 0.3 % of the runs stranded a sent value).</li>
 * </ol>
 * The cost: one volatile store per recv and per send (each side's half of
 * the pair that lets the other side sleep), the same price as any blocking
 * queue that parks at once; on the fast road, one fence per poll instead.
 */
package io.weft.sync;
