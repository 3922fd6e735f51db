package org.matcalc.diff;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The record of a derivative as a textbook shows it (矩阵求导术): the differential by the
 * product and chain rules, each trace-trick move, and the read-off result. Rules append
 * steps while they run; the list is frozen when the derivative is returned, but for the named
 * simplify steps, which are worked out when first read.
 */
public final class Derivation {
    private final List<Step> steps = new ArrayList<>();
    private final String differential;

    Derivation(String differential) {
        this.differential = differential;
    }

    /** The name the steps give the differential of the variable (dX, or dX_ when dX is taken); null at order 0. */
    public String differential() {
        return differential;
    }

    void add(Step s) {
        steps.add(s);
    }

    /** Steps worked out only when someone reads them (the simplifier run again, writing down its identities). */
    private java.util.function.Supplier<List<Step>> later;
    private int laterAt;

    /** Steps to be placed here, computed on first reading: a derivative that no one shows costs nothing for them. */
    void addLater(java.util.function.Supplier<List<Step>> s) {
        later = s;
        laterAt = steps.size();
    }

    public synchronized List<Step> steps() {
        if (later != null) {
            List<Step> more = later.get();
            later = null;
            steps.addAll(laterAt, more);
        }
        return Collections.unmodifiableList(steps);
    }

    public String toText() {
        StringBuilder sb = new StringBuilder();
        Step.Kind last = null;
        for (Step s : steps()) {
            if (s.kind() != last) {
                sb.append(heading(s.kind())).append('\n');
                last = s.kind();
            }
            sb.append("  ").append(s.toText()).append('\n');
        }
        return sb.toString();
    }

    public String toLatex() {
        StringBuilder sb = new StringBuilder("\\begin{aligned}\n");
        Step.Kind last = null;
        for (Step s : steps()) {
            if (s.kind() != last) {
                sb.append("&\\textbf{").append(heading(s.kind())).append("} \\\\\n");
                last = s.kind();
            }
            sb.append(s.toLatex()).append(" \\\\\n");
        }
        return sb.append("\\end{aligned}").toString();
    }

    private static String heading(Step.Kind k) {
        switch (k) {
            case DIFFERENTIAL:
                return "Differential (product and chain rules):";
            case TRACE:
                return "Trace trick, from the output back to the differential:";
            case RESULT:
                return "Read off:";
            case CONVENTION:
                return "Convention:";
            default:
                return "Simplify:";
        }
    }
}
