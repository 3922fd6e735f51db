package org.matcalc.expr;

import java.util.List;
import java.util.Map;


/**
 * An expression for display with its repeated parts named: {@code body} uses the names of
 * {@code temporaries}, each defined (in order) in terms of the variables and earlier names.
 */
public record Shared(Expr body, List<Map.Entry<String, Expr>> temporaries) {

    public Shared {
        temporaries = List.copyOf(temporaries);
    }

    /** e.g. {@code t1*x' + t1'  where t1 = softmax(W*x) - y}; just the expression when nothing is shared. */
    public String print() {
        StringBuilder sb = new StringBuilder(TextPrinter.print(body));
        for (int i = 0; i < temporaries.size(); i++) {
            Map.Entry<String, Expr> t = temporaries.get(i);
            sb.append(i == 0 ? "  where " : ", ").append(t.getKey()).append(" = ").append(TextPrinter.print(t.getValue()));
        }
        return sb.toString();
    }
}
