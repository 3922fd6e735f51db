package org.matcalc.expr;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.matcalc.expr.MatcalcException.Kind;

/**
 * Declared variables. A name without a declaration takes its kind from its first letter, as
 * on matrixcalculus.org: a..g scalars, h..z column vectors, A..Z matrices (sizes inferred).
 */
public final class Declarations {
    public static final Declarations NONE = new Declarations(Map.of());

    private final Map<String, Decl> decls;

    private Declarations(Map<String, Decl> decls) {
        this.decls = Collections.unmodifiableMap(new LinkedHashMap<>(decls));
    }

    public static Declarations of(Map<String, Decl> decls) {
        decls.keySet().forEach(Declarations::requireName);
        return new Declarations(decls);
    }

    /** From a request's map of name to kind text, e.g. {@code {"X": "matrix(n,m)"}}. */
    public static Declarations fromStrings(Map<String, String> kinds) {
        Map<String, Decl> out = new LinkedHashMap<>();
        kinds.forEach((name, kind) -> {
            requireName(name);
            out.put(name, Decl.parse(name, kind));
        });
        return new Declarations(out);
    }

    /**
     * From declaration lines such as {@code X : matrix(n, m)}, {@code S : spd(n)} or
     * {@code const A}, one per line or separated by ';'. Blank lines and {@code #} comments are skipped.
     */
    public static Declarations fromLines(String text) {
        Map<String, Decl> out = new LinkedHashMap<>();
        Map<String, Boolean> constants = new LinkedHashMap<>();
        for (String raw : text.split("[\n;]")) {
            String line = raw.replaceAll("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("const ") && !line.contains(":")) {
                for (String name : line.substring(6).split("[,\\s]+")) {
                    requireName(name);
                    constants.put(name, true);
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new MatcalcException(Kind.REQUEST, "declaration '" + line + "': expected NAME : KIND, e.g. X : matrix(n, m)");
            }
            String name = line.substring(0, colon).trim();
            requireName(name);
            out.put(name, Decl.parse(name, line.substring(colon + 1).trim()));
        }
        for (String name : constants.keySet()) {
            Decl d = out.containsKey(name) ? out.get(name) : null;
            out.put(name, d == null ? byLetter(name).asConstant() : d.asConstant());
        }
        return new Declarations(out);
    }

    public Optional<Decl> get(String name) {
        return Optional.ofNullable(decls.get(name));
    }

    public Map<String, Decl> asMap() {
        return decls;
    }

    public Declarations with(String name, Decl d) {
        Map<String, Decl> copy = new LinkedHashMap<>(decls);
        copy.put(name, d);
        return new Declarations(copy);
    }

    /** The declaration a name gets from its first letter: sizes null, to be inferred. */
    public static Decl byLetter(String name) {
        return ofKind(kindByLetter(name));
    }

    /** A declaration of kind {@code k} with its sizes to be inferred. */
    public static Decl ofKind(Decl.VarKind k) {
        Size rows = k == Decl.VarKind.SCALAR || k == Decl.VarKind.ROWVECTOR ? Size.ONE : null;
        Size cols = k == Decl.VarKind.MATRIX || k == Decl.VarKind.ROWVECTOR ? null : Size.ONE;
        return new Decl(k, rows, cols, java.util.Set.of(), false);
    }

    /** Whether a name is undeclared-by-letter a scalar, vector or matrix. */
    public static Decl.VarKind kindByLetter(String name) {
        char c = name.charAt(0);
        if (c >= 'a' && c <= 'g') {
            return Decl.VarKind.SCALAR;
        }
        if (c >= 'h' && c <= 'z') {
            return Decl.VarKind.VECTOR;
        }
        return Decl.VarKind.MATRIX;
    }

    /**
     * The names of {@code --wrt} (or "wrt"), comma-separated, each an ASCII name: an empty one, or
     * a character such as a non-breaking or ideographic space, is refused with where it is.
     */
    public static java.util.List<String> wrtNames(String where, String text) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String raw : text.split(",", -1)) {
            String name = raw.replaceAll("^[ \t]+|[ \t]+$", ""); // ASCII blanks only: other spaces are refused below
            if (name.isEmpty()) {
                throw new MatcalcException(Kind.REQUEST, where + " '" + text + "': an empty name; give the variable to differentiate by,"
                        + " e.g. x, or several as x,W");
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                boolean ok = c < 128 && (Character.isLetter(c) || i > 0 && (Character.isDigit(c) || c == '_'));
                if (!ok) {
                    String shown = Character.isISOControl(c) || Character.isSpaceChar(c) || c > 126
                            ? String.format("U+%04X", (int) c) + (Character.isSpaceChar(c) ? " (a space character)" : "") : "'" + c + "'";
                    throw new MatcalcException(Kind.REQUEST, where + " '" + name + "': character " + (i + 1) + " is " + shown
                            + "; names are ASCII letters, digits and _, starting with a letter");
                }
            }
            out.add(name);
        }
        return out;
    }

    private static void requireName(String name) {
        if (name == null || name.isEmpty() || !Character.isLetter(name.charAt(0)) || name.charAt(0) > 127
                || !name.chars().allMatch(c -> Lexer.isNameChar((char) c))) {
            throw new MatcalcException(Kind.REQUEST, "'" + name + "' is not a variable name: use letters, digits and _ , starting with a letter");
        }
        if (Suggestions.functionNames().contains(name)) {
            throw new MatcalcException(Kind.REQUEST, "'" + name + "' is a function name and cannot be declared as a variable");
        }
    }
}
