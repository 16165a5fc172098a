package io.weft.io;

import io.weft.Driver;
import io.weft.task.Log;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens an executor's driver: the one asked for (builder, then the system
 * property {@code weft.driver}), else the first of io_uring, epoll and nio
 * this machine allows. Why a driver was passed over is logged once per JVM
 * and reason, e.g. "uring: io_uring_setup: EPERM (Operation not
 * permitted), using epoll".
 */
public final class Drivers {
    private Drivers() {
    }

    public static final String PROPERTY = "weft.driver";
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    /** The driver named by the system property, or null if it is not set. */
    public static Driver fromProperty() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            return null;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "uring", "io_uring", "iouring" -> Driver.URING;
            case "epoll" -> Driver.EPOLL;
            case "nio" -> Driver.NIO;
            default -> throw new IllegalArgumentException("system property " + PROPERTY + "=" + v
                    + ": expected uring, epoll or nio");
        };
    }

    /** Opens {@code requested}, or (null) the property's driver, or the best this machine allows. */
    public static IoDriver open(Driver requested) {
        Driver want = requested != null ? requested : fromProperty();
        if (want != null) {
            try {
                return open1(want);
            } catch (Exception | LinkageError e) {
                throw new IllegalStateException("the " + want.propertyName() + " driver cannot start here: "
                        + e.getMessage(), e);
            }
        }
        StringBuilder passed = new StringBuilder();
        for (Driver d : Driver.values()) {
            try {
                IoDriver io = open1(d);
                if (!passed.isEmpty() && LOGGED.add(passed.toString())) {
                    Log.get().log(System.Logger.Level.INFO, passed + ", using " + d.propertyName());
                }
                return io;
            } catch (Exception | LinkageError e) {
                if (!passed.isEmpty()) {
                    passed.append("; ");
                }
                passed.append(d.propertyName()).append(": ").append(e.getMessage());
            }
        }
        throw new IllegalStateException("no I/O driver can start on this machine: " + passed);
    }

    /** Whether {@code d} can start here; the reason it cannot is in {@link #whyNot(Driver)}. */
    public static boolean isAvailable(Driver d) {
        return whyNot(d) == null;
    }

    /** Null if {@code d} starts here, else why not (one driver is opened and closed to find out). */
    public static String whyNot(Driver d) {
        try {
            IoDriver io = open1(d);
            io.close();
            return null;
        } catch (Exception | LinkageError e) {
            return e.getMessage();
        }
    }

    private static IoDriver open1(Driver d) throws Exception {
        return switch (d) {
            case URING -> {
                String why = io.weft.sys.Linux.unavailableReason();
                if (why != null) {
                    throw new UnsupportedOperationException(why);
                }
                yield UringDriver.open();
            }
            case EPOLL -> {
                String why = io.weft.sys.Linux.unavailableReason();
                if (why != null) {
                    throw new UnsupportedOperationException(why);
                }
                yield EpollDriver.open();
            }
            case NIO -> NioDriver.open();
        };
    }
}
