package org.matcalc.protocol;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.matcalc.expr.Decl;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Elaboration;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.MatcalcException.Kind;
import org.matcalc.expr.Parser;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.expr.Typer;
import org.matcalc.expr.Typing;

/**
 * Parses and types an expression without differentiating it: its shape and its variables with
 * the kinds the typer gives them. The web page calls this as the user types
 * ({@code POST /api/parse}, docs/http-api.md).
 *
 * <p>Request {@code {"expression": "...", "variables": {"X": "matrix(n,m)"}}} (variables
 * optional); answer {@code {"shape": "scalar", "variables": [{"name": "x", "kind": "vector(n)",
 * "declared": false}]}}, or the refusal of CONTRACT.md §6.
 */
public final class Inspect {
    private static final ObjectMapper JSON = Values.strictMapper();
    /** Names for sizes the typer could not tie to a declared symbol, in order of use. */
    private static final String[] SIZE_NAMES = {"n", "m", "p", "q", "k", "r", "s", "t", "u", "v", "w"};

    private Inspect() {
    }

    public static DeriveProtocol.Answer handle(String requestText) {
        try {
            JsonNode raw;
            try {
                raw = JSON.readTree(requestText);
            } catch (JsonProcessingException e) {
                throw DeriveProtocol.malformed(e);
            }
            if (raw == null || !raw.isObject()) {
                throw new MatcalcException(Kind.REQUEST, "the request must be a JSON object with \"expression\"");
            }
            return new DeriveProtocol.Answer(inspect(raw), false, null);
        } catch (MatcalcException e) {
            return DeriveProtocol.refusal(e);
        }
    }

    /** The shape and variables of the request's expression; throws the refusal. */
    public static ObjectNode inspect(JsonNode raw) {
        JsonNode exprNode = raw.get("expression");
        if (exprNode == null || !exprNode.isTextual()) {
            throw new MatcalcException(Kind.REQUEST, "\"expression\" must be a string");
        }
        Declarations given = DeriveProtocol.declarations(raw);
        Elaboration.Elaborated elaborated = Elaboration.of(Parser.parse(exprNode.asText()), given);
        Declarations decls = elaborated.decls();
        Typing typing = Typer.check(elaborated.parsed(), decls);
        SizeNames names = new SizeNames(decls);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("shape", names.describe(typing.shape()));
        ArrayNode list = out.putArray("variables");
        for (Map.Entry<String, Shape> v : typing.variables().entrySet()) {
            ObjectNode o = list.addObject();
            o.put("name", v.getKey());
            Decl declared = given.get(v.getKey()).orElse(null);
            o.put("kind", declared != null ? declared.describe() : names.kind(typing.declOf(v.getKey()), v.getValue()));
            o.put("declared", declared != null);
            if (elaborated.inferred().containsKey(v.getKey())) {
                o.put("inferred", true); // its kind comes from its use, not its first letter
            }
        }
        return out;
    }

    /**
     * The shape of a typed expression as {@link #inspect} describes it, open sizes named
     * n, m, p... (the symbolic order-0 answer of /api/derive uses it).
     */
    public static String shapeOf(Typing typing, Declarations decls) {
        return new SizeNames(decls).describe(typing.shape());
    }

    /**
     * Gives the sizes the typer left open (Size.Unknown) readable names not used by the
     * declarations, the same name for the same unknown, so that {@code x'*A*x} reads
     * x: vector(n), A: matrix(n,n).
     */
    private static final class SizeNames {
        private final Set<String> taken = new HashSet<>();
        private final Map<Size, String> byValue = new LinkedHashMap<>();
        private int next;

        SizeNames(Declarations decls) {
            for (Map.Entry<String, Decl> d : decls.asMap().entrySet()) {
                taken.add(String.valueOf(d.getValue().rows()));
                taken.add(String.valueOf(d.getValue().cols()));
                taken.add(d.getKey()); // a size is never named as a variable is
            }
        }

        String name(Size s) {
            if (!(s instanceof Size.Unknown)) {
                return s.toString();
            }
            String known = byValue.get(s);
            if (known != null) {
                return known;
            }
            String n;
            do {
                n = next < SIZE_NAMES.length ? SIZE_NAMES[next] : "n" + (next - SIZE_NAMES.length + 1);
                next++;
            } while (taken.contains(n));
            taken.add(n);
            byValue.put(s, n);
            return n;
        }

        String kind(Decl byLetter, Shape shape) {
            switch (byLetter.kind()) {
                case SCALAR:
                    return shape.isScalar() ? "scalar" : describe(shape);
                case VECTOR:
                    return shape.cols().isOne() ? "vector(" + name(shape.rows()) + ")" : describe(shape);
                case ROWVECTOR:
                    return shape.rows().isOne() ? "rowvector(" + name(shape.cols()) + ")" : describe(shape);
                default:
                    return "matrix(" + name(shape.rows()) + "," + name(shape.cols()) + ")";
            }
        }

        String describe(Shape shape) {
            if (shape.isScalar()) {
                return "scalar";
            }
            if (shape.isColumn()) {
                return "vector(" + name(shape.rows()) + ")";
            }
            if (shape.isRow()) {
                return "rowvector(" + name(shape.cols()) + ")";
            }
            return "matrix(" + name(shape.rows()) + "," + name(shape.cols()) + ")";
        }
    }
}
