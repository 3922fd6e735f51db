package org.matcalc.codegen;

import java.util.Locale;

import org.matcalc.expr.MatcalcException;

/** The languages matcalc writes code in. */
public enum Language {
    /** A Python module over NumPy arrays (SciPy only where the expression needs expm). */
    NUMPY("numpy"),
    /** A Python module over PyTorch float64 tensors, on any device, checkable against torch.autograd. */
    TORCH("torch"),
    /** A Java class over matcalc's {@code Mat}, depending only on matcalc's numeric module. */
    JAVA("java");

    private final String id;

    Language(String id) {
        this.id = id;
    }

    /** The name used on the command line and in requests: numpy, torch, java. */
    public String id() {
        return id;
    }

    /** The language named {@code name} (numpy, torch, java; case-insensitive). */
    public static Language of(String name) {
        for (Language l : values()) {
            if (l.id.equals(name == null ? "" : name.toLowerCase(Locale.ROOT))) {
                return l;
            }
        }
        throw new MatcalcException(MatcalcException.Kind.REQUEST, "unknown code language \"" + name
                + "\"; expected numpy, torch or java");
    }
}
