package org.matcalc.protocol;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.matcalc.codegen.Codegen;
import org.matcalc.codegen.Language;
import org.matcalc.expr.Decl;
import org.matcalc.expr.Declarations;
import org.matcalc.expr.Elaboration;
import org.matcalc.expr.LatexPrinter;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.MatcalcException.Kind;
import org.matcalc.expr.Parsed;
import org.matcalc.expr.Parser;
import org.matcalc.expr.Shape;
import org.matcalc.expr.TextPrinter;
import org.matcalc.expr.Typer;
import org.matcalc.expr.Typing;
import org.matcalc.numeric.Evaluator;
import org.matcalc.numeric.Mat;

/**
 * The JSON request and response of CONTRACT.md, shared by {@code matcalc derive --json}, its
 * {@code --jsonl} batch mode and the HTTP API: one request in, one object out, refusals as
 * {@code {"error": {"message", "line", "column"}}}.
 */
public final class DeriveProtocol {
    private static final ObjectMapper JSON = Values.strictMapper();

    /** An answer: the JSON object to print and whether it is a refusal (exit 2, HTTP 4xx). */
    public record Answer(ObjectNode body, boolean refused, MatcalcException.Kind errorKind) {
        public String text() {
            return body.toString();
        }
    }

    /**
     * A parsed request (CONTRACT.md §2), its values decoded once. {@code symbolic} when the
     * request has no {@code at}: the answer is then the formula alone, without values.
     */
    public record Request(Parsed parsed, Declarations decls, String wrt, int order, String layout,
                          Map<String, Mat> values, Map<String, Integer> sizes, JsonNode raw, boolean symbolic,
                          Map<String, Decl> inferred) {
    }

    /** Computes derivatives of order 1 and 2; absent until the symbolic engine is wired in. */
    public interface Differentiator {
        /** Fills {@code out} with derivative, latex, value; may add fields such as steps or check. */
        void derive(Request request, Typing typing, ObjectNode out);
    }

    private final Differentiator differentiator;

    public DeriveProtocol(Differentiator differentiator) {
        this.differentiator = differentiator;
    }

    public Answer handle(String requestText) {
        try {
            JsonNode raw;
            try {
                raw = JSON.readTree(requestText);
            } catch (JsonProcessingException e) {
                throw malformed(e);
            }
            if (raw == null || !raw.isObject()) {
                throw new MatcalcException(Kind.REQUEST, "the request must be a JSON object with at least \"expression\"");
            }
            return new Answer(answer(raw), false, null);
        } catch (MatcalcException e) {
            return refusal(e);
        }
    }

    /**
     * The refusal of a request that is not JSON: Jackson's message without its note about the
     * hidden source, and the position when Jackson knows it (not for its nesting limit).
     */
    public static MatcalcException malformed(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage())
                .replace("[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); ", "[");
        if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            m += " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        }
        return new MatcalcException(Kind.REQUEST, "malformed JSON: " + m);
    }

    public static Answer refusal(MatcalcException e) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode err = body.putObject("error");
        err.put("message", e.getMessage());
        if (e.span() != null) {
            err.put("line", e.span().line());
            err.put("column", e.span().column());
        }
        return new Answer(body, true, e.kind());
    }

    private ObjectNode answer(JsonNode raw) {
        ObjectNode out = formulaAnswer(raw);
        JsonNode code = raw.get("code");
        if (code != null && !code.isNull()) {
            Request req = read(raw);
            if (!code.isTextual()) {
                throw new MatcalcException(Kind.REQUEST, "\"code\" must be \"numpy\", \"torch\" or \"java\", got " + code);
            }
            Language language = Language.of(code.asText());
            out.put("code", Codegen.generate(req.parsed().expr(), req.decls(), req.order() == 0 ? null : req.wrt(), req.order(),
                    Differentiation.layout(req.layout()), language, Codegen.Options.DEFAULT));
        }
        return out;
    }

    private ObjectNode formulaAnswer(JsonNode raw) {
        Request req = read(raw);
        ObjectNode out = formulaOf(req);
        if (!req.inferred().isEmpty()) {
            // the kinds taken from use, beside the answer they shaped (LANGUAGE.md, "Kinds from use")
            ObjectNode kinds = out.putObject("inferred");
            req.inferred().forEach((name, d) -> kinds.put(name, d.kind().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return out;
    }

    private ObjectNode formulaOf(Request req) {
        Typing typing = Typer.check(req.parsed(), req.decls());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (req.order() == 0 && req.symbolic()) {
            out.put("derivative", TextPrinter.print(req.parsed().expr()));
            out.put("latex", LatexPrinter.print(req.parsed().expr()));
            out.put("shape", Inspect.shapeOf(typing, req.decls()));
            return out;
        }
        if (req.order() == 0) {
            Mat v = Evaluator.evaluate(req.parsed(), req.decls(), req.values(), req.sizes());
            out.put("derivative", TextPrinter.print(req.parsed().expr()));
            out.put("latex", LatexPrinter.print(req.parsed().expr()));
            out.set("value", Values.encode(v));
            out.set("expressionValue", Values.encode(v));
            return out;
        }
        if (differentiator == null) {
            throw new MatcalcException(Kind.REQUEST, "order " + req.order()
                    + " is not available in this build: derivatives arrive with the symbolic engine; use order 0 to evaluate");
        }
        differentiator.derive(req, typing, out);
        return out;
    }

    /** The request's optional "variables" object ({"X": "matrix(n,m)"}) as declarations; throws the refusal. */
    static Declarations declarations(JsonNode raw) {
        Map<String, String> kinds = new LinkedHashMap<>();
        JsonNode vars = raw.get("variables");
        if (vars != null && !vars.isNull()) {
            if (!vars.isObject()) {
                throw new MatcalcException(Kind.REQUEST, "\"variables\" must be an object such as {\"X\": \"matrix(n,m)\"}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = vars.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new MatcalcException(Kind.REQUEST, "variables." + e.getKey() + " must be a string such as \"vector(n)\"");
                }
                kinds.put(e.getKey(), e.getValue().asText());
            }
        }
        return Declarations.fromStrings(kinds);
    }

    /** Reads and validates every field of a request, before any work. */
    public static Request read(JsonNode raw) {
        JsonNode exprNode = raw.get("expression");
        if (exprNode == null || exprNode.isNull()) {
            throw new MatcalcException(Kind.REQUEST, "missing \"expression\": the request needs the expression to differentiate");
        }
        if (!exprNode.isTextual()) {
            throw new MatcalcException(Kind.REQUEST, "\"expression\" must be a string");
        }
        int order = 1;
        JsonNode o = raw.get("order");
        if (o != null && !o.isNull()) {
            if (!o.canConvertToInt() || !o.isIntegralNumber() || o.asInt() < 0 || o.asInt() > 2) {
                throw new MatcalcException(Kind.REQUEST, "\"order\" must be 0, 1 or 2, got " + o);
            }
            order = o.asInt();
        }
        String layout = "mixed";
        JsonNode l = raw.get("layout");
        if (l != null && !l.isNull()) {
            if (!l.isTextual() || !(l.asText().equals("mixed") || l.asText().equals("numerator") || l.asText().equals("denominator"))) {
                throw new MatcalcException(Kind.REQUEST, "\"layout\" must be \"mixed\", \"numerator\" or \"denominator\", got " + l);
            }
            layout = l.asText();
        }
        Declarations decls = declarations(raw);
        String wrt = null;
        JsonNode w = raw.get("wrt");
        if (w != null && !w.isNull()) {
            if (!w.isTextual() || w.asText().isBlank()) {
                throw new MatcalcException(Kind.REQUEST, "\"wrt\" must be the name of a variable");
            }
            wrt = w.asText().replaceAll("^[ \t]+|[ \t]+$", "");
            if (Declarations.wrtNames("\"wrt\"", wrt).size() != 1) {
                throw new MatcalcException(Kind.REQUEST, "\"wrt\" must be the name of one variable, got '" + wrt + "'");
            }
        }
        if (order > 0 && wrt == null) {
            throw new MatcalcException(Kind.REQUEST, "missing \"wrt\": say which variable to differentiate by");
        }
        Elaboration.Elaborated elaborated = Elaboration.of(Parser.parse(exprNode.asText()), decls);
        Parsed parsed = elaborated.parsed();
        decls = elaborated.decls();
        Map<String, Decl> inferred = elaborated.inferred();
        Typing symbolic = Typer.check(parsed, decls);
        if (order == 2 && !symbolic.shape().isScalar()) {
            throw new MatcalcException(Kind.REQUEST, "a Hessian (order 2) is defined for a scalar expression; this one is "
                    + symbolic.shape().describe());
        }
        Map<String, Mat> values = new LinkedHashMap<>();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        JsonNode at = raw.get("at");
        if (at == null || at.isNull()) {
            // No point to evaluate at: a symbolic answer (docs/json-protocol.md).
            return new Request(parsed, decls, wrt, order, layout, values, sizes, raw, true, inferred);
        }
        if (!at.isObject()) {
            throw new MatcalcException(Kind.REQUEST, "\"at\" must be an object mapping names to values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = at.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (symbolic.variables().containsKey(name)) {
                Mat v = Values.decode(e.getValue(), "at." + name);
                checkKind(name, symbolic.declOf(name), symbolic.variables().get(name), v, e.getValue());
                values.put(name, v);
            } else if (e.getValue().isNumber() && e.getValue().asDouble() == Math.rint(e.getValue().asDouble())) {
                int n = (int) Math.max(-1, Math.min(Integer.MAX_VALUE, e.getValue().asDouble()));
                if (n < 1 || n > org.matcalc.expr.Limits.MAX_DIMENSION) {
                    throw new MatcalcException(Kind.REQUEST, "at." + name + ": a size must be from 1 to "
                            + org.matcalc.expr.Limits.MAX_DIMENSION + ", got " + n);
                }
                sizes.put(name, n);
            }
        }
        for (String name : symbolic.variables().keySet()) {
            if (!values.containsKey(name)) {
                throw new MatcalcException(Kind.REQUEST, "\"at\" has no value for " + name + " ("
                        + symbolic.variables().get(name).describe() + ")");
            }
        }
        return new Request(parsed, decls, wrt, order, layout, values, sizes, raw, false, inferred);
    }

    /** A value must be encoded as its kind says: a vector as a flat list, a row vector as one row. */
    private static void checkKind(String name, Decl d, Shape shape, Mat v, JsonNode json) {
        String where = "at." + name;
        boolean flat = json.isArray() && json.size() > 0 && !json.get(0).isArray();
        switch (d.kind()) {
            case SCALAR:
                if (!json.isNumber()) {
                    throw new MatcalcException(Kind.REQUEST, where + ": " + name + " is a scalar, so its value is a number");
                }
                break;
            case VECTOR:
                if (!flat && !(json.isNumber() && shape.rows().isOne())) {
                    throw new MatcalcException(Kind.REQUEST, where + ": " + name + " is " + shape.describe()
                            + ", so its value is a flat list of numbers");
                }
                break;
            case ROWVECTOR:
                if (!(json.isArray() && json.size() == 1 && json.get(0).isArray())) {
                    throw new MatcalcException(Kind.REQUEST, where + ": " + name + " is " + shape.describe()
                            + ", so its value is a list holding one row: [[v1, ..., vn]]");
                }
                break;
            default:
                if (!(json.isArray() && json.size() > 0 && json.get(0).isArray()) && !json.isNumber()) {
                    throw new MatcalcException(Kind.REQUEST, where + ": " + name + " is " + shape.describe()
                            + ", so its value is a list of rows");
                }
        }
    }
}
