package org.matcalc.diff;

import java.util.EnumMap;
import java.util.Map;

import org.matcalc.expr.BinaryOp;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;

/**
 * The registry of differential rules: each family file ({@link StructureRules},
 * {@link ElementwiseRules}, {@link LinearAlgebraRules}, {@link MatrixFunctionRules}) registers,
 * per primitive, its differential rule and, for a primitive linear in some argument
 * ({@link Builtin#isLinear()}), its transpose and vec-Jacobian rules beside it, as named
 * methods. The linearizer, the transposer and the Jacobian extraction look rules up here; a
 * missing one fails by the primitive's name.
 */
final class Rules {
    /** d(e), linear in the differential of the variable. */
    @FunctionalInterface
    interface Differential<E extends Expr> {
        Expr d(Linearizer l, E e);
    }

    /** Sends the adjoint g of a linear node e to its arguments that carry dX. */
    @FunctionalInterface
    interface Transpose<E extends Expr> {
        void send(Transposer t, E e, Expr g);
    }

    /** J with vec(e) = J*vec(dX), for a linear node e. */
    @FunctionalInterface
    interface VecJacobian<E extends Expr> {
        Expr j(Jacobians j, E e);
    }

    private static final Map<Builtin, Differential<Expr.Call>> CALL_D = new EnumMap<>(Builtin.class);
    private static final Map<Builtin, Transpose<Expr.Call>> CALL_T = new EnumMap<>(Builtin.class);
    private static final Map<Builtin, VecJacobian<Expr.Call>> CALL_J = new EnumMap<>(Builtin.class);
    private static final Map<BinaryOp, Differential<Expr.Binary>> OP_D = new EnumMap<>(BinaryOp.class);
    private static final Map<BinaryOp, Transpose<Expr.Binary>> OP_T = new EnumMap<>(BinaryOp.class);
    private static final Map<BinaryOp, VecJacobian<Expr.Binary>> OP_J = new EnumMap<>(BinaryOp.class);

    static {
        StructureRules.register();
        ElementwiseRules.register();
        LinearAlgebraRules.register();
        MatrixFunctionRules.register();
    }

    private Rules() {
    }

    // ---- registration, by the family files ----

    static void call(Builtin fn, Differential<Expr.Call> d) {
        put(CALL_D, fn, d);
    }

    static void linearCall(Builtin fn, Differential<Expr.Call> d, Transpose<Expr.Call> t, VecJacobian<Expr.Call> j) {
        linear(fn, d, t, j, CALL_D, CALL_T, CALL_J);
    }

    static void op(BinaryOp op, Differential<Expr.Binary> d) {
        put(OP_D, op, d);
    }

    static void linearOp(BinaryOp op, Differential<Expr.Binary> d, Transpose<Expr.Binary> t, VecJacobian<Expr.Binary> j) {
        linear(op, d, t, j, OP_D, OP_T, OP_J);
    }

    /** A linear primitive's three rules, side by side. */
    private static <K, D, T, J> void linear(K key, D d, T t, J j, Map<K, D> ds, Map<K, T> ts, Map<K, J> js) {
        put(ds, key, d);
        put(ts, key, t);
        put(js, key, j);
    }

    private static <K, V> void put(Map<K, V> m, K key, V rule) {
        if (m.put(key, rule) != null) {
            throw new IllegalStateException("two rules for " + key);
        }
    }

    // ---- look-ups ----

    static Differential<Expr.Call> differential(Builtin fn) {
        return find(CALL_D, fn, () -> Linearizer.notImplemented(fn.languageName()));
    }

    static Differential<Expr.Binary> differential(BinaryOp op) {
        return find(OP_D, op, () -> Linearizer.notImplemented(op.symbol()));
    }

    static Transpose<Expr.Call> transpose(Builtin fn) {
        return find(CALL_T, fn, () -> Transposer.notImplemented(fn.languageName() + " (not linear)"));
    }

    static Transpose<Expr.Binary> transpose(BinaryOp op) {
        return find(OP_T, op, () -> Transposer.notImplemented(op.symbol() + " (not linear)"));
    }

    static VecJacobian<Expr.Call> vecJacobian(Builtin fn) {
        return find(CALL_J, fn, () -> Jacobians.notImplemented(fn.languageName() + " (not linear)"));
    }

    static VecJacobian<Expr.Binary> vecJacobian(BinaryOp op) {
        return find(OP_J, op, () -> Jacobians.notImplemented(op.symbol() + " (not linear)"));
    }

    /** The rule registered for key, or the by-name refusal. */
    private static <K, V> V find(Map<K, V> rules, K key, java.util.function.Supplier<MatcalcException> missing) {
        V rule = rules.get(key);
        if (rule == null) {
            throw missing.get();
        }
        return rule;
    }

    // ---- for the completeness test ----

    static boolean hasDifferential(Builtin fn) {
        return CALL_D.containsKey(fn);
    }

    static boolean hasTranspose(Builtin fn) {
        return CALL_T.containsKey(fn);
    }

    static boolean hasVecJacobian(Builtin fn) {
        return CALL_J.containsKey(fn);
    }
}
