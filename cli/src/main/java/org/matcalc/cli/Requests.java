package org.matcalc.cli;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.matcalc.expr.Decl;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.MatcalcException.Kind;
import org.matcalc.protocol.Values;

/** Turns command-line options into the JSON request of CONTRACT.md, so both paths mean the same. */
final class Requests {
    private Requests() {
    }

    static ObjectNode build(String expression, List<String> decls, List<String> at, String wrt, int order, String layout) {
        ObjectNode req = JsonNodeFactory.instance.objectNode();
        req.put("expression", expression);
        ObjectNode vars = req.putObject("variables");
        for (Map.Entry<String, Decl> d : Declarations.fromLines(String.join("\n", decls)).asMap().entrySet()) {
            // "const A" alone keeps the kind of A's first letter and says nothing a request can carry.
            if (d.getValue().rows() != null && d.getValue().cols() != null) {
                vars.put(d.getKey(), d.getValue().describe());
            }
        }
        if (wrt != null) {
            req.put("wrt", wrt);
        }
        req.put("order", order);
        req.put("layout", layout);
        ObjectNode values = req.putObject("at");
        for (String a : at) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new MatcalcException(Kind.REQUEST, "--at " + a + ": expected NAME=VALUE, e.g. x=[1,2,3] or X=@X.csv or n=3");
            }
            String name = a.substring(0, eq).trim();
            values.set(name, Values.encode(Values.parseArgument("--at " + name, a.substring(eq + 1).trim())));
        }
        return req;
    }
}
