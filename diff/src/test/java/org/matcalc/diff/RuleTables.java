package org.matcalc.diff;

/** The declarations the rule tables share: distinct sizes n, m, p so that transposition errors show. */
final class RuleTables {
    static final String DECLS = String.join("\n",
            "X: matrix(n,m)", "Y: matrix(n,m)", "A: matrix(p,n)", "B: matrix(m,p)", "C: matrix(n)", "D: matrix(m)",
            "a: vector(n)", "b: vector(m)", "w: vector(m)", "y: vector(n)", "x: vector(n)", "z: vector(n)",
            "S: spd(n)", "T: symmetric(n)", "Q: diagonal(n)", "s: scalar", "t: scalar", "pr: simplex(n)",
            "W: matrix(p,n)", "u: vector(p)");

    private RuleTables() {
    }
}
