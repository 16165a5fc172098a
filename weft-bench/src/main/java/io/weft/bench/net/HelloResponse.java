package io.weft.bench.net;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The response of every "hello" server in the HTTP benchmark, as
 * {@code io.weft.examples.HttpHello} sends it: status line, then
 * {@code Server}, {@code Content-Type: text/plain}, {@code Content-Length: 13},
 * {@code Date} (RFC 1123, refreshed every second by the server) and the body
 * {@code Hello, World!}. Only the Server value differs between servers.
 */
public final class HelloResponse {
    private HelloResponse() {
    }

    public static final String BODY = "Hello, World!";
    /** The formatter HttpHello uses, so that every Date header has the same length. */
    private static final DateTimeFormatter DATE = // IMF-fixdate (RFC 9110): a two-digit day, unlike RFC_1123_DATE_TIME
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US);

    public static String date() {
        return DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    /** The whole response with the current date. */
    public static byte[] bytes(String server) {
        return ("HTTP/1.1 200 OK\r\nServer: " + server + "\r\nContent-Type: text/plain\r\nContent-Length: "
                + BODY.length() + "\r\nDate: " + date() + "\r\n\r\n" + BODY).getBytes(StandardCharsets.US_ASCII);
    }

    /** A response to a request that cannot be answered, after which the server closes. */
    public static byte[] error(int status) {
        return ("HTTP/1.1 " + status + " Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
