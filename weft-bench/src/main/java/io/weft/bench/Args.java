package io.weft.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options of the whole-program benchmarks; an unknown name or a missing value is an error. */
public final class Args {
    private final Map<String, String> values = new HashMap<>();

    private Args() {
    }

    public static Args parse(String[] args, Set<String> names) {
        Args a = new Args();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !names.contains(name)) {
                throw new IllegalArgumentException("unknown option " + args[i] + " (expected --" + String.join(", --",
                        names.stream().sorted().toList()) + ")");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            a.values.put(name, args[i + 1]);
        }
        return a;
    }

    public String get(String name, String orElse) {
        return values.getOrDefault(name, orElse);
    }

    public int getInt(String name, int orElse) {
        String v = values.get(name);
        return v == null ? orElse : Integer.parseInt(v);
    }

    public double getDouble(String name, double orElse) {
        String v = values.get(name);
        return v == null ? orElse : Double.parseDouble(v);
    }
}
