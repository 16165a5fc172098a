package io.weft.io;

import java.util.Arrays;

/**
 * The open sockets of a descriptor driver, each under a token (its index
 * here, reused after the socket closes): the epoll driver's event data, and
 * what a driver closes when it closes. Loop thread only.
 */
final class SocketTable {
    private FdSocket[] table = new FdSocket[64];
    private int[] freeTokens = new int[64];
    private int freeCount;
    private int nextToken;

    /** Adds {@code s} and sets its token. */
    void add(FdSocket s) {
        int token;
        if (freeCount > 0) {
            token = freeTokens[--freeCount];
        } else {
            token = nextToken++;
            if (token == table.length) {
                table = Arrays.copyOf(table, token * 2);
                freeTokens = Arrays.copyOf(freeTokens, token * 2);
            }
        }
        table[token] = s;
        s.token = token;
    }

    /** Removes {@code s} (a socket not in the table is ignored). */
    void remove(FdSocket s) {
        int token = s.token;
        if (token >= 0 && token < table.length && table[token] == s) {
            table[token] = null;
            freeTokens[freeCount++] = token;
        }
        s.token = -1;
    }

    /** The socket with {@code token}, or null (closed since the kernel reported about it). */
    FdSocket get(long token) {
        return token >= 0 && token < nextToken ? table[(int) token] : null;
    }

    int size() {
        return nextToken - freeCount;
    }

    /** Closes every socket still open (each close removes it). */
    void closeAll() {
        for (int t = 0; t < nextToken; t++) {
            FdSocket s = table[t];
            if (s != null) {
                s.close();
            }
        }
    }
}
