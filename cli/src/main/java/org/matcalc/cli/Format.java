package org.matcalc.cli;

import java.util.Locale;

import org.matcalc.numeric.Mat;

/** Numbers and matrices for people: aligned columns, up to 10 significant digits. */
final class Format {
    private Format() {
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.10g", v);
        if (s.contains("e")) {
            String[] parts = s.split("e");
            return trimZeros(parts[0]) + "e" + Integer.parseInt(parts[1]);
        }
        return trimZeros(s);
    }

    private static String trimZeros(String s) {
        if (!s.contains(".")) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** A value on its own lines, indented; a scalar on one line. */
    static String value(Mat m, String indent) {
        if (m.isScalar()) {
            return number(m.scalarValue());
        }
        String[][] cells = new String[m.rows()][m.cols()];
        int[] width = new int[m.cols()];
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                cells[i][j] = number(m.get(i, j));
                width[j] = Math.max(width[j], cells[i][j].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < m.rows(); i++) {
            sb.append('\n').append(indent).append(i == 0 ? "[ " : "  ");
            for (int j = 0; j < m.cols(); j++) {
                sb.append(" ".repeat(width[j] - cells[i][j].length())).append(cells[i][j]);
                sb.append(j + 1 < m.cols() ? "  " : "");
            }
            sb.append(i + 1 == m.rows() ? " ]" : "");
        }
        return sb.toString();
    }
}
