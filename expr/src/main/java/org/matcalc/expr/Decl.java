package org.matcalc.expr;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.matcalc.expr.MatcalcException.Kind;

/**
 * The declared kind, sizes and properties of one variable, e.g. {@code matrix(n,m)} or
 * {@code spd(n)}. Sizes are symbols or integers, or null where they are to be inferred
 * (a name declared only by its first letter).
 */
public record Decl(VarKind kind, Size rows, Size cols, Set<Property> properties, boolean constant) {

    public enum VarKind { SCALAR, VECTOR, ROWVECTOR, MATRIX }

    /** Properties that change derivatives or the random inputs used to check them. */
    public enum Property {
        SYMMETRIC("symmetric"), SPD("spd"), DIAGONAL("diagonal"), ORTHOGONAL("orthogonal"),
        /** A vector whose entries sum to one ({@code simplex(n)}), such as a one-hot label or a distribution. */
        SIMPLEX("simplex");

        private final String word;

        Property(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    public Decl {
        properties = properties.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(properties));
    }

    public static Decl scalar() {
        return new Decl(VarKind.SCALAR, Size.ONE, Size.ONE, Set.of(), false);
    }

    public static Decl vector(Size n) {
        return new Decl(VarKind.VECTOR, n, Size.ONE, Set.of(), false);
    }

    public static Decl matrix(Size rows, Size cols) {
        return new Decl(VarKind.MATRIX, rows, cols, Set.of(), false);
    }

    public Shape shape() {
        return new Shape(rows, cols);
    }

    public boolean has(Property p) {
        return properties.contains(p);
    }

    /** symmetric and spd variables are both symmetric. */
    public boolean isSymmetric() {
        return has(Property.SYMMETRIC) || has(Property.SPD);
    }

    public Decl asConstant() {
        return new Decl(kind, rows, cols, properties, true);
    }

    private static final Pattern FORM = Pattern.compile(
            "\\s*(const\\s+)?([a-z]+)\\s*(?:\\(\\s*([A-Za-z0-9_]+)\\s*(?:,\\s*([A-Za-z0-9_]+)\\s*)?\\))?\\s*");

    /**
     * Reads a kind as written in requests and declaration files: {@code scalar}, {@code vector(n)},
     * {@code rowvector(n)}, {@code matrix(n,m)}, {@code matrix(n)}, {@code symmetric(n)},
     * {@code spd(n)}, {@code diagonal(n)}, {@code orthogonal(n)}, {@code simplex(n)} (a vector whose
     * entries sum to one), optionally after {@code const}.
     */
    public static Decl parse(String name, String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw bad(name, text);
        }
        boolean constant = m.group(1) != null;
        String word = m.group(2);
        Size a = m.group(3) == null ? null : size(name, m.group(3));
        Size b = m.group(4) == null ? null : size(name, m.group(4));
        Decl d;
        switch (word) {
            case "scalar":
                if (a != null) {
                    throw bad(name, text);
                }
                d = scalar();
                break;
            case "vector":
                d = vector(one(name, text, a, b));
                break;
            case "rowvector":
                d = new Decl(VarKind.ROWVECTOR, Size.ONE, one(name, text, a, b), Set.of(), false);
                break;
            case "matrix":
                if (a == null) {
                    throw bad(name, text);
                }
                d = matrix(a, b == null ? a : b);
                break;
            case "simplex":
                d = new Decl(VarKind.VECTOR, one(name, text, a, b), Size.ONE, Set.of(Property.SIMPLEX), false);
                break;
            case "symmetric":
            case "spd":
            case "diagonal":
            case "orthogonal": {
                Size n = one(name, text, a, b);
                Property p = Property.valueOf(word.toUpperCase(Locale.ROOT));
                d = new Decl(VarKind.MATRIX, n, n, Set.of(p), false);
                break;
            }
            default:
                throw new MatcalcException(Kind.REQUEST, bad(name, text).getMessage() + closestKind(word, text, m.start(2), m.end(2)));
        }
        return constant ? d.asConstant() : d;
    }

    private static final String[] KINDS = {"scalar", "vector", "rowvector", "matrix", "symmetric", "spd", "diagonal", "orthogonal"};

    /** "; did you mean matrix(n)?" for a misspelt kind word, else "". */
    private static String closestKind(String word, String text, int from, int to) {
        for (String k : KINDS) {
            if (Suggestions.distance(word, k) <= Math.max(1, k.length() / 3)) {
                return "; did you mean " + (text.substring(0, from) + k + text.substring(to)).trim() + "?";
            }
        }
        return "";
    }

    private static Size one(String name, String text, Size a, Size b) {
        if (a == null || b != null) {
            throw bad(name, text);
        }
        return a;
    }

    private static Size size(String name, String token) {
        if (!Character.isLetter(token.charAt(0))) {
            try {
                int v = Integer.parseInt(token);
                if (v >= 1 && v <= Limits.MAX_DIMENSION) {
                    return Size.of(v);
                }
            } catch (NumberFormatException ignored) {
                // fall through to the message below
            }
            throw new MatcalcException(Kind.REQUEST, "declaration of " + name + ": size " + token
                    + " must be a whole number from 1 to " + Limits.MAX_DIMENSION + " or a size name such as n");
        }
        return Size.sym(token);
    }

    private static MatcalcException bad(String name, String text) {
        return new MatcalcException(Kind.REQUEST, "declaration of " + name + ": expected scalar, vector(n), rowvector(n), "
                + "matrix(n,m), matrix(n), symmetric(n), spd(n), diagonal(n), orthogonal(n) or simplex(n), optionally after const; got '"
                + text + "'");
    }

    /** The declaration as written, e.g. {@code spd(n)} or {@code const matrix(n,m)}. */
    public String describe() {
        String prefix = constant ? "const " : "";
        if (!properties.isEmpty()) {
            return prefix + properties.iterator().next().word() + "(" + rows + ")";
        }
        switch (kind) {
            case SCALAR:
                return prefix + "scalar";
            case VECTOR:
                return prefix + "vector(" + rows + ")";
            case ROWVECTOR:
                return prefix + "rowvector(" + cols + ")";
            default:
                return prefix + "matrix(" + rows + "," + cols + ")";
        }
    }
}
