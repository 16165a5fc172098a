package io.weft.io;

import java.util.Arrays;

/**
 * The io_uring driver's in-flight table: every op the kernel holds, by
 * slot, from its submission to its own completion (see "The table keeps
 * what the kernel uses" in {@link UringDriver}). An op's {@code user_data}
 * is its slot's generation, then the slot; a slot's generation changes each
 * time it is freed, so a completion never finds the wrong op in a reused
 * slot. Each slot also records the loop epoch its op was submitted in (an
 * op of an earlier epoch was submitted by another thread). Loop thread only.
 */
final class UringSlots {
    private static final int GEN_MASK = 0x7fff_ffff;

    private FdOp<?>[] ops = new FdOp<?>[256];
    private int[] gens = new int[256];
    private int[] epochs = new int[256];
    private int[] freeSlots = new int[256];
    private int freeCount;
    /** Slots ever used: every slot below it is in use or free. */
    private int nextSlot;
    private int inFlight;

    /** Puts {@code op}, submitted in {@code epoch}, in a free slot; the slot. */
    int take(FdOp<?> op, int epoch) {
        int slot;
        if (freeCount > 0) {
            slot = freeSlots[--freeCount];
        } else {
            slot = nextSlot++;
            if (slot == ops.length) {
                ops = Arrays.copyOf(ops, slot * 2);
                gens = Arrays.copyOf(gens, slot * 2);
                epochs = Arrays.copyOf(epochs, slot * 2);
                freeSlots = Arrays.copyOf(freeSlots, slot * 2);
            }
        }
        ops[slot] = op;
        epochs[slot] = epoch;
        inFlight++;
        return slot;
    }

    /** Frees {@code slot}: its generation changes. */
    void drop(int slot) {
        ops[slot] = null;
        gens[slot] = (gens[slot] + 1) & GEN_MASK;
        freeSlots[freeCount++] = slot;
        inFlight--;
    }

    /** user_data of the op in {@code slot}: its generation, then its slot; never negative. */
    long userData(int slot) {
        return ((long) gens[slot] << 32) | slot;
    }

    /** The op that {@code ud} names; IllegalStateException if none does (a completion nobody submitted). */
    FdOp<?> find(long ud, int res) {
        int slot = (int) ud;
        int gen = (int) (ud >>> 32);
        FdOp<?> op = slot >= 0 && slot < nextSlot ? ops[slot] : null;
        if (op == null || gens[slot] != gen) {
            throw new IllegalStateException("io_uring completion (user_data 0x" + Long.toHexString(ud) + ", res "
                    + res + ") matches no operation in flight: slot " + slot + " holds " + op + " of generation "
                    + (slot >= 0 && slot < nextSlot ? gens[slot] : -1));
        }
        return op;
    }

    /** The loop epoch the op in {@code slot} was submitted in. */
    int epoch(int slot) {
        return epochs[slot];
    }

    /** The op in {@code slot} (below {@link #limit()}), or null if it is free. */
    FdOp<?> at(int slot) {
        return ops[slot];
    }

    /** Every slot in use is below this. */
    int limit() {
        return nextSlot;
    }

    /** Ops in flight. */
    int size() {
        return inFlight;
    }
}
