package org.matcalc.minimize;

import org.matcalc.expr.MatcalcException;

/**
 * A refusal of {@link Problem} or {@link Minimizer} that names what the caller has to give: a
 * front end maps it to its own way of giving it (the command line to a flag).
 */
public final class MinimizeException extends MatcalcException {
    /** What is missing or has to change. */
    public enum Needs {
        /** the variable to minimise over */
        VARIABLE,
        /** a value for a name of the objective */
        DATA,
        /** a (different) starting point, or the variable's size */
        START,
        /** another method */
        METHOD
    }

    private final Needs needs;

    MinimizeException(Kind kind, Needs needs, String detail) {
        super(kind, detail);
        this.needs = needs;
    }

    /** What the request lacks: a variable, data or a start. */
    public Needs needs() {
        return needs;
    }
}
