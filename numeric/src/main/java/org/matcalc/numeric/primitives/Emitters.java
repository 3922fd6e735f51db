package org.matcalc.numeric.primitives;

import org.matcalc.expr.Shape;

/**
 * How one primitive is written in generated Python code (the {@code codegen} module's NumPy and
 * PyTorch targets), registered in the primitive's family block beside its kernel and rules. The
 * Java target needs no entry: generated Java calls the primitive's kernel
 * ({@link Primitives#apply}), so it runs exactly what the plan runs.
 *
 * <p>In generated Python a scalar is a 0-d value and every vector or matrix a 2-D array (a
 * vector as one column, a row vector as one row); an emitter receives its operands so and
 * returns its result so.
 *
 * @param numpy the expression in NumPy ({@code np}); null where the target cannot express it
 * @param torch the expression in PyTorch ({@code torch}), on float64 tensors on any device
 */
public record Emitters(Emitter numpy, Emitter torch) {

    /** Writes one call: the result's expression in terms of the operands' code. */
    @FunctionalInterface
    public interface Emitter {
        String emit(Operands x);

        /** A template with {0}, {1}, ... for the operands, each at most once (operands are names or literals). */
        static Emitter of(String template) {
            return x -> {
                String out = template;
                for (int i = 0; i < x.count(); i++) {
                    out = out.replace("{" + i + "}", x.arg(i));
                }
                return out;
            };
        }

        /** A call of a helper function defined once in the generated module, then the template. */
        static Emitter helper(String name, String definition, String template) {
            Emitter t = of(template);
            return x -> {
                x.define(name, definition);
                return t.emit(x);
            };
        }
    }

    /** What an emitter knows of one call. */
    public interface Operands {
        int count();

        /** The code of operand i: a name or a literal, so it may appear more than once. */
        String arg(int i);

        /** The shape of operand i as typed (size symbols kept). */
        Shape shape(int i);

        /** The number operand i is, as written in the expression (e.g. "2"), or null when it is not a literal. */
        String literal(int i);

        /** The code of a size (a number, a size name bound from the arguments, a product). */
        String size(org.matcalc.expr.Size s);

        /** Defines a helper function once in the generated module (its text starts with {@code def name(}). */
        void define(String name, String definition);

        /** Imports a module once ({@code scipy.linalg}); the expression then names it in full. */
        void require(String module);
    }

    /** The dimension k (1 or 2) of a call such as sum(X, k): its second operand, a number literal. */
    public static int axis(Operands x) {
        return (int) Double.parseDouble(x.literal(1));
    }

    public static Emitters of(String numpy, String torch) {
        return new Emitters(numpy == null ? null : Emitter.of(numpy), torch == null ? null : Emitter.of(torch));
    }
}
