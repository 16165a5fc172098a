package io.weft.examples;

/**
 * A small, strict HTTP/1.1 request-head parser for {@link HttpHello}. It
 * scans bytes in place (no allocation per request) and never throws on bad
 * input: every outcome is a status the server answers with.
 *
 * <p>{@link #parse} returns the length of a complete head (request line,
 * headers, the empty line), {@link #NEED_MORE}, or a negative HTTP status:
 * -400 (malformed), -431 (head longer than {@link #MAX_HEAD}), -413 (body
 * longer than {@link #MAX_BODY}), -501 (Transfer-Encoding), -505 (not
 * HTTP/1.x). After a complete head, {@link #contentLength} and
 * {@link #keepAlive} describe the request.
 */
public final class HttpParser {
    public static final int NEED_MORE = 0;
    public static final int MAX_HEAD = 8192;
    public static final int MAX_BODY = 1 << 20;
    private static final int MAX_METHOD = 16;

    /** Body bytes that follow the head. */
    public long contentLength;
    /** Whether the connection stays open after the response. */
    public boolean keepAlive;
    /** Offsets into the buffer of the last complete head: the method and the target. */
    public int methodStart;
    public int methodEnd;
    public int targetStart;
    public int targetEnd;

    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    private static boolean token(byte b) {
        return b >= 0 && TOKEN[b];
    }

    /** Parses the head starting at {@code start}; {@code end} is the end of the bytes read so far. */
    public int parse(byte[] b, int start, int end) {
        int limit = Math.min(end, start + MAX_HEAD);
        int i = start;
        // request line: method SP target SP HTTP/1.d CRLF
        methodStart = i;
        while (i < limit && token(b[i])) {
            i++;
        }
        if (i == limit) {
            return more(start, end, i - start > MAX_METHOD ? -400 : NEED_MORE);
        }
        if (b[i] != ' ' || i == start || i - start > MAX_METHOD) {
            return -400;
        }
        methodEnd = i++;
        targetStart = i;
        while (i < limit && b[i] > ' ' && b[i] < 127) {
            i++;
        }
        if (i == limit) {
            return more(start, end, NEED_MORE);
        }
        if (b[i] != ' ' || i == targetStart) {
            return -400;
        }
        targetEnd = i++;
        if (limit - i < 10) {
            return more(start, end, NEED_MORE);
        }
        if (b[i] != 'H' || b[i + 1] != 'T' || b[i + 2] != 'T' || b[i + 3] != 'P' || b[i + 4] != '/') {
            return -400;
        }
        if (b[i + 5] != '1' || b[i + 6] != '.') {
            return b[i + 5] >= '0' && b[i + 5] <= '9' ? -505 : -400;
        }
        byte minor = b[i + 7];
        if (minor < '0' || minor > '9' || b[i + 8] != '\r' || b[i + 9] != '\n') {
            return -400;
        }
        boolean http11 = minor != '0';
        keepAlive = http11;
        contentLength = 0;
        boolean sawLength = false;
        i += 10;
        // headers: name ":" OWS value OWS CRLF, until an empty line
        for (;;) {
            if (i + 1 >= limit) {
                return more(start, end, NEED_MORE);
            }
            if (b[i] == '\r') {
                if (b[i + 1] != '\n') {
                    return -400;
                }
                return i + 2 - start;
            }
            int nameStart = i;
            while (i < limit && token(b[i])) {
                i++;
            }
            if (i == limit) {
                return more(start, end, NEED_MORE);
            }
            if (b[i] != ':' || i == nameStart) {
                return -400;
            }
            int nameEnd = i++;
            while (i < limit && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            int valueStart = i;
            while (i < limit && b[i] != '\r') {
                byte c = b[i];
                if ((c < ' ' && c != '\t') || c == 127) {
                    return -400;
                }
                i++;
            }
            if (i + 1 >= limit) {
                return more(start, end, NEED_MORE);
            }
            if (b[i + 1] != '\n') {
                return -400;
            }
            int valueEnd = i;
            while (valueEnd > valueStart && (b[valueEnd - 1] == ' ' || b[valueEnd - 1] == '\t')) {
                valueEnd--;
            }
            i += 2;
            int status = header(b, nameStart, nameEnd, valueStart, valueEnd, sawLength);
            if (status < 0) {
                return status;
            }
            if (status == 1) {
                sawLength = true;
            }
        }
    }

    /** NEED_MORE while the head may still fit, else -431. */
    private static int more(int start, int end, int status) {
        if (status == NEED_MORE && end - start >= MAX_HEAD) {
            return -431;
        }
        return status;
    }

    private int header(byte[] b, int ns, int ne, int vs, int ve, boolean sawLength) {
        if (is(b, ns, ne, "content-length")) {
            if (ve == vs || ve - vs > 10) {
                return ve - vs > 10 ? -413 : -400;
            }
            long n = 0;
            for (int k = vs; k < ve; k++) {
                if (b[k] < '0' || b[k] > '9') {
                    return -400;
                }
                n = n * 10 + (b[k] - '0');
            }
            if (sawLength && n != contentLength) {
                return -400;
            }
            if (n > MAX_BODY) {
                return -413;
            }
            contentLength = n;
            return 1;
        }
        if (is(b, ns, ne, "transfer-encoding")) {
            return -501;
        }
        if (is(b, ns, ne, "connection")) {
            if (is(b, vs, ve, "close")) {
                keepAlive = false;
            } else if (is(b, vs, ve, "keep-alive")) {
                keepAlive = true;
            }
        }
        return 0;
    }

    /** Case-insensitive ASCII comparison of b[s, e) with a lower-case word. */
    private static boolean is(byte[] b, int s, int e, String lower) {
        if (e - s != lower.length()) {
            return false;
        }
        for (int k = 0; k < lower.length(); k++) {
            int c = b[s + k];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
