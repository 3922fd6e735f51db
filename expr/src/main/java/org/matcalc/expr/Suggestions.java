package org.matcalc.expr;

import java.util.ArrayList;
import java.util.List;

/** "Did you mean" hints for misspelt names, by edit distance. */
final class Suggestions {
    private Suggestions() {
    }

    /** Every name the language reserves for a function, in a fixed order (computed once: every declaration checks it). */
    static List<String> functionNames() {
        return FUNCTION_NAMES;
    }

    private static final List<String> FUNCTION_NAMES = computeFunctionNames();

    private static List<String> computeFunctionNames() {
        List<String> names = new ArrayList<>();
        for (ScalarFunction f : ScalarFunction.values()) {
            names.add(f.languageName());
        }
        for (Builtin b : Builtin.values()) {
            if (!names.contains(b.languageName())) {
                names.add(b.languageName());
            }
        }
        names.addAll(List.of("eye", "zeros", "vector", "matrix", "commutation", "transpose", "mean"));
        return List.copyOf(names);
    }

    /** Names from other tools that are too far from ours for edit distance. */
    private static final java.util.Map<String, String> ALIASES = java.util.Map.ofEntries(
            java.util.Map.entry("trace", "tr"), java.util.Map.entry("inverse", "inv"), java.util.Map.entry("ln", "log"),
            java.util.Map.entry("asin", "arcsin"), java.util.Map.entry("acos", "arccos"), java.util.Map.entry("atan", "arctan"),
            java.util.Map.entry("logistic", "sigmoid"), java.util.Map.entry("norm", "norm2"), java.util.Map.entry("identity", "eye"),
            java.util.Map.entry("determinant", "det"), java.util.Map.entry("kronecker", "kron"), java.util.Map.entry("ones", "vector(1) or matrix(1)"),
            java.util.Map.entry("t", "X' (postfix transpose)"));

    static String forFunction(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : functionNames()) {
            int d = distance(name.toLowerCase(java.util.Locale.ROOT), candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        String known = "; known functions: " + String.join(", ", functionNames());
        String alias = ALIASES.get(name.toLowerCase(java.util.Locale.ROOT));
        if (alias != null) {
            return "; did you mean " + alias + "?";
        }
        if (best != null && bestDistance <= Math.max(1, name.length() / 3)) {
            return "; did you mean " + best + "?";
        }
        return known;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
