package org.matcalc.protocol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.MatcalcException.Kind;
import org.matcalc.numeric.Mat;

/**
 * Values in and out, encoded as CONTRACT.md §2 says: a number is a scalar, a flat list a column
 * vector, a list of rows a matrix (one row: a row vector). On the command line a value may also
 * be {@code @file.csv}.
 */
public final class Values {
    static final ObjectMapper JSON = strictMapper();

    /**
     * The JSON reader of every request: content after the request and a key given twice are
     * refused ("malformed JSON: ..."), rather than read as if the rest were not there.
     */
    static ObjectMapper strictMapper() {
        ObjectMapper m = new ObjectMapper();
        m.enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        m.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return m;
    }

    private Values() {
    }

    /** Decodes a JSON value; {@code where} names it in messages (e.g. "at.X"). */
    public static Mat decode(JsonNode v, String where) {
        if (v.isNumber()) {
            return Mat.scalar(finite(v.asDouble(), where));
        }
        if (!v.isArray() || v.isEmpty()) {
            throw bad(where, "expected a number, a list of numbers or a list of rows, got " + brief(v));
        }
        if (v.get(0).isArray()) {
            int cols = v.get(0).size();
            double[][] rows = new double[v.size()][];
            for (int i = 0; i < v.size(); i++) {
                JsonNode row = v.get(i);
                if (!row.isArray() || row.size() != cols || cols == 0) {
                    throw bad(where, "row " + (i + 1) + " should be a list of " + cols + " numbers, got " + brief(row));
                }
                rows[i] = numbers(row, where + "[" + i + "]");
            }
            return Mat.of(rows);
        }
        return Mat.column(numbers(v, where));
    }

    private static double[] numbers(JsonNode list, String where) {
        double[] out = new double[list.size()];
        for (int k = 0; k < out.length; k++) {
            JsonNode x = list.get(k);
            if (!x.isNumber()) {
                throw bad(where, "entry " + (k + 1) + " should be a number, got " + brief(x));
            }
            out[k] = finite(x.asDouble(), where);
        }
        return out;
    }

    private static double finite(double v, String where) {
        if (!Double.isFinite(v)) {
            throw bad(where, "numbers must be finite");
        }
        return v;
    }

    /** Encodes a value: 1x1 as a number, n x 1 as a flat list, otherwise a list of rows. */
    public static JsonNode encode(Mat m) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (m.isScalar()) {
            return f.numberNode(m.scalarValue());
        }
        if (m.cols() == 1) {
            ArrayNode a = f.arrayNode();
            for (int i = 0; i < m.rows(); i++) {
                a.add(m.get(i, 0));
            }
            return a;
        }
        ArrayNode rows = f.arrayNode();
        for (int i = 0; i < m.rows(); i++) {
            ArrayNode r = rows.addArray();
            for (int j = 0; j < m.cols(); j++) {
                r.add(m.get(i, j));
            }
        }
        return rows;
    }

    /** A command-line value: a JSON literal ({@code 3}, {@code [1,2]}, {@code [[1,2],[3,4]]}) or {@code @file} (.csv, .npy, .mtx). */
    public static Mat parseArgument(String name, String text) {
        if (text.startsWith("@")) {
            return DataFiles.read(name, Path.of(text.substring(1)));
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            throw bad(name, "expected a JSON number or list such as 3, [1,2,3] or [[1,2],[3,4]], or @file.csv; got '" + text + "'");
        }
        if (node == null) {
            throw bad(name, "missing value");
        }
        return decode(node, name);
    }

    /** Reads a CSV of numbers: one row per line, comma-separated; a single column is a vector. */
    public static Mat readCsv(String name, Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw bad(name, "cannot read " + file + ": " + e.getMessage());
        }
        java.nio.charset.CharsetDecoder utf8 = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT);
        try (java.io.InputStream raw = Files.newInputStream(file);
             Progress.Counting counted = new Progress.Counting(raw, file, size);
             java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(counted, utf8), 1 << 16)) {
            return parseCsv(name, file.toString(), in);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw bad(name, "cannot read " + file + ": it is not UTF-8 text (a CSV of numbers was expected)");
        } catch (IOException e) {
            throw bad(name, "cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * The CSV grammar, read line by line from {@code in}: cells separated by commas, semicolons,
     * tabs or spaces; blank lines and {@code #} comments skipped; a first line of names (no number
     * in it) is a header; a UTF-8 byte-order mark is skipped. A cell that is not a finite number
     * is refused with the file, line and column.
     */
    static Mat parseCsv(String name, String file, java.io.BufferedReader in) throws IOException {
        List<double[]> rows = new ArrayList<>();
        long entries = 0;
        int lineNo = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if ((lineNo & 1023) == 0) {
                org.matcalc.expr.Limits.checkInterrupted();
            }
            int bom = lineNo == 1 && line.startsWith("\uFEFF") ? 1 : 0;
            Cells cells = Cells.split(line, bom);
            if (cells.count == 0 || line.charAt(cells.start[0]) == '#') {
                continue;
            }
            int semicolon = line.indexOf(';');
            int comma = line.indexOf(',');
            if (semicolon >= 0 && comma >= 0) {
                // "1,5;2,5" is two numbers with decimal commas, not four: refuse rather than guess
                throw bad(name, file + ":" + lineNo + ":" + (comma + 1 - bom) + ": a line separated by ';' also holds ','"
                        + " (a decimal comma?); write numbers with a decimal point, such as 1.5");
            }
            double[] row = new double[cells.count];
            for (int k = 0; k < cells.count; k++) {
                String cell = cells.text(line, k);
                try {
                    row[k] = Double.parseDouble(cell);
                } catch (NumberFormatException e) {
                    if (rows.isEmpty() && lineNo == 1 && noNumbers(cells.all(line))) {
                        row = null; // a header line: names, no numbers
                        break;
                    }
                    throw bad(name, file + ":" + lineNo + ":" + (cells.start[k] + 1 - bom) + ": '" + brief(cell) + "' is not a number");
                }
                if (!Double.isFinite(row[k])) {
                    throw bad(name, file + ":" + lineNo + ":" + (cells.start[k] + 1 - bom) + ": numbers must be finite, got '" + brief(cell) + "'");
                }
            }
            if (row == null) {
                continue;
            }
            if (!rows.isEmpty() && row.length != rows.get(0).length) {
                throw bad(name, file + ":" + lineNo + ": expected " + rows.get(0).length + " values, got " + row.length);
            }
            entries += row.length;
            if (entries > org.matcalc.expr.Limits.MAX_ENTRIES) {
                throw bad(name, file + ":" + lineNo + ": more than " + org.matcalc.expr.Limits.MAX_ENTRIES
                        + " numbers, the limit on one matrix");
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw bad(name, file + " holds no numbers");
        }
        if (rows.get(0).length == 1) {
            double[] col = new double[rows.size()];
            for (int i = 0; i < col.length; i++) {
                col[i] = rows.get(i)[0];
            }
            return Mat.column(col);
        }
        return Mat.of(rows.toArray(new double[0][]));
    }

    /** The cells of one CSV line: where each starts and ends (separators: , ; tab and runs of spaces). */
    private static final class Cells {
        int count;
        int[] start = new int[8];
        int[] end = new int[8];

        static Cells split(String line, int from) {
            Cells c = new Cells();
            int i = from;
            int n = line.length();
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i == n) {
                return c;
            }
            while (true) {
                int s = i;
                while (i < n && !separator(line.charAt(i))) {
                    i++;
                }
                c.add(s, i);
                // one separator: spaces around a , ; or tab, or a run of spaces alone
                int j = i;
                while (j < n && line.charAt(j) == ' ') {
                    j++;
                }
                if (j < n && (line.charAt(j) == ',' || line.charAt(j) == ';' || line.charAt(j) == '\t')) {
                    j++;
                    while (j < n && line.charAt(j) == ' ') {
                        j++;
                    }
                } else if (j == n) {
                    return c; // trailing spaces
                }
                if (j == n) {
                    return c; // a trailing separator, as some spreadsheets write
                }
                i = j;
            }
        }

        private static boolean separator(char ch) {
            return ch == ',' || ch == ';' || ch == '\t' || ch == ' ';
        }

        private void add(int s, int e) {
            if (count == start.length) {
                start = java.util.Arrays.copyOf(start, count * 2);
                end = java.util.Arrays.copyOf(end, count * 2);
            }
            start[count] = s;
            end[count] = e;
            count++;
        }

        String text(String line, int k) {
            return line.substring(start[k], end[k]);
        }

        String[] all(String line) {
            String[] out = new String[count];
            for (int k = 0; k < count; k++) {
                out[k] = text(line, k);
            }
            return out;
        }
    }

    private static boolean noNumbers(String[] cells) {
        for (String c : cells) {
            try {
                Double.parseDouble(c);
                return false;
            } catch (NumberFormatException e) {
                // a name
            }
        }
        return true;
    }

    private static String brief(JsonNode v) {
        return brief(v.toString());
    }

    private static String brief(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    private static MatcalcException bad(String where, String message) {
        return new MatcalcException(Kind.REQUEST, where + ": " + message);
    }
}
