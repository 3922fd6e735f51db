package org.matcalc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.matcalc.diff.Layout;
import org.matcalc.expr.Builtin;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Expr;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.ScalarFunction;
import org.matcalc.numeric.primitives.Emitters;
import org.matcalc.numeric.primitives.Primitives;

/** Every primitive can be written in every target, and what cannot be generated is refused by name. */
class EmitterCompletenessTest {
    @Test
    void everyPrimitiveHasNumpyAndTorchEmitters() {
        List<String> missing = new ArrayList<>();
        for (Builtin b : Builtin.values()) {
            Emitters e = Primitives.emitters(b).orElse(null);
            if (e == null || e.numpy() == null || e.torch() == null) {
                missing.add(b.languageName());
            }
        }
        for (ScalarFunction f : ScalarFunction.values()) {
            Emitters e = Primitives.emitters(f).orElse(null);
            if (e == null || e.numpy() == null || e.torch() == null) {
                missing.add(f.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        assertTrue(missing.isEmpty(), "no NumPy or PyTorch emitter (register one in the primitive's numeric block): " + missing);
    }

    @Test
    void refusalsNameWhatIsMissing() {
        MatcalcException lang = assertThrows(MatcalcException.class, () -> Language.of("julia"));
        assertTrue(lang.getMessage().contains("julia") && lang.getMessage().contains("numpy, torch or java"), lang.getMessage());

        Expr f = Expr.parse("tr(logm(A))");
        MatcalcException second = assertThrows(MatcalcException.class,
                () -> Codegen.generate(f, Declarations.NONE, "A", 2, Layout.MIXED, Language.NUMPY, Codegen.Options.DEFAULT));
        assertEquals(MatcalcException.Kind.UNSUPPORTED, second.kind());
        assertTrue(second.getMessage().contains("logm_frechet"), second.getMessage());

        MatcalcException cls = assertThrows(MatcalcException.class, () -> Codegen.generate(Expr.parse("x'*x"), Declarations.NONE, "x", 1,
                Layout.MIXED, Language.JAVA, new Codegen.Options("my-class", null, Map.of())));
        assertTrue(cls.getMessage().contains("my-class"), cls.getMessage());

        MatcalcException size = assertThrows(MatcalcException.class, () -> Codegen.generate(Expr.parse("x'*x"), Declarations.NONE, "x", 1,
                Layout.MIXED, Language.NUMPY, new Codegen.Options(null, null, Map.of("n", 1))));
        assertTrue(size.getMessage().contains("n = 1"), size.getMessage());
    }

    @Test
    void generatedCodeInheritsThePlansRewrites() {
        // the logistic Hessian: X'*diag(...)*X as one scaled inner product, never an n x n diag
        String py = Codegen.generate(Expr.parse("sum(softplus(-y .* (X*w)))"), Declarations.fromLines("X: matrix(n,m); w: vector(m); y: vector(n)"),
                "w", 2, Layout.MIXED, Language.NUMPY, Codegen.Options.DEFAULT);
        String body = py.substring(py.indexOf("def f_g_h("), py.indexOf("\n\n\ndef ", py.indexOf("def f_g_h(")));
        assertTrue(!body.contains("np.diag(") && body.contains("_scaled_inner(X, "), body);
        // inv(A)*b as a solve, A never inverted; X'*X*w as X'*(X*w), the n x n product never formed
        String solve = Codegen.generate(Expr.parse("sum(inv(A)*b)"), Declarations.fromLines("A: matrix(n); b: vector(n)"), null, 0,
                Layout.MIXED, Language.TORCH, Codegen.Options.DEFAULT);
        assertTrue(solve.contains("torch.linalg.solve(A, b)") && !solve.contains("torch.linalg.inv("), solve);
        String chain = Codegen.generate(Expr.parse("X'*X*w"), Declarations.fromLines("X: matrix(n,m); w: vector(m)"), null, 0,
                Layout.MIXED, Language.JAVA, Codegen.Options.DEFAULT);
        assertTrue(chain.contains("X.times(w)") && chain.contains("X.transposeTimes(t1)"), chain);
    }
}
