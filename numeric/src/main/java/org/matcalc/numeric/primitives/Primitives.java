package org.matcalc.numeric.primitives;

import java.util.EnumMap;
import java.util.Map;

import org.matcalc.expr.Builtin;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.MatDual;

/**
 * The registry of numeric blocks, filled by the family files ({@link StructureBlocks},
 * {@link ElementwiseBlocks}, {@link LinearAlgebraBlocks}, {@link MatrixFunctionBlocks}) and read
 * by the plan, the tape and forward mode. A primitive without a block fails by name.
 */
public final class Primitives {
    private static final Map<Builtin, Primitive> BLOCKS = new EnumMap<>(Builtin.class);
    private static final Map<Builtin, Emitters> CODE = new EnumMap<>(Builtin.class);
    private static final Map<ScalarFunction, Emitters> SCALAR_CODE = new EnumMap<>(ScalarFunction.class);

    static {
        StructureBlocks.register();
        ElementwiseBlocks.register();
        LinearAlgebraBlocks.register();
        MatrixFunctionBlocks.register();
    }

    private Primitives() {
    }

    static void add(Builtin fn, Primitive.Kernel kernel, Primitive.Jvp jvp, Primitive.Vjp vjp) {
        if (BLOCKS.put(fn, new Primitive(fn, kernel, jvp, vjp)) != null) {
            throw new IllegalStateException("two numeric blocks for " + fn);
        }
    }

    static void code(Builtin fn, Emitters e) {
        if (CODE.put(fn, e) != null) {
            throw new IllegalStateException("two emitters for " + fn);
        }
    }

    static void code(ScalarFunction f, Emitters e) {
        if (SCALAR_CODE.put(f, e) != null) {
            throw new IllegalStateException("two emitters for " + f);
        }
    }

    /** How {@code fn} is written in generated Python (see {@link Emitters}), if registered. */
    public static java.util.Optional<Emitters> emitters(Builtin fn) {
        return java.util.Optional.ofNullable(CODE.get(fn));
    }

    /** How the element-wise function {@code f} is written in generated Python, if registered. */
    public static java.util.Optional<Emitters> emitters(ScalarFunction f) {
        return java.util.Optional.ofNullable(SCALAR_CODE.get(f));
    }

    /** The block of {@code fn} as registered, parts possibly missing (for the completeness test). */
    public static java.util.Optional<Primitive> find(Builtin fn) {
        return java.util.Optional.ofNullable(BLOCKS.get(fn));
    }

    /** The block of {@code fn}. */
    public static Primitive of(Builtin fn) {
        Primitive p = BLOCKS.get(fn);
        if (p == null || p.kernel() == null || p.jvp() == null || p.vjp() == null) {
            throw new MatcalcException(MatcalcException.Kind.UNSUPPORTED, "numeric block for " + fn.languageName()
                    + " not implemented (kernel, forward and reverse rule)");
        }
        return p;
    }

    /** The dense value of {@code fn} at {@code args}. */
    public static Mat apply(Builtin fn, Mat... args) {
        return of(fn).kernel().apply(args);
    }

    /** The forward rule of {@code fn}: value and tangent at {@code args}. */
    public static MatDual jvp(Builtin fn, MatDual... args) {
        return of(fn).jvp().apply(args);
    }
}
