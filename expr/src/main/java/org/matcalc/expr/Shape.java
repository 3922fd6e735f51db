package org.matcalc.expr;

/**
 * rows x cols. A scalar is 1 x 1, a column vector n x 1, a row vector 1 x n; the kind is read
 * from which sizes are literally 1.
 */
public record Shape(Size rows, Size cols) {

    public static final Shape SCALAR = new Shape(Size.ONE, Size.ONE);

    public static Shape vector(Size n) {
        return new Shape(n, Size.ONE);
    }

    public static Shape matrix(Size rows, Size cols) {
        return new Shape(rows, cols);
    }

    public boolean isScalar() {
        return rows.isOne() && cols.isOne();
    }

    public boolean isColumn() {
        return cols.isOne() && !rows.isOne();
    }

    public boolean isRow() {
        return rows.isOne() && !cols.isOne();
    }

    public boolean isVector() {
        return isColumn() || isRow();
    }

    public boolean isMatrix() {
        return !rows.isOne() && !cols.isOne();
    }

    public Shape transpose() {
        return new Shape(cols, rows);
    }

    /** How people say it: {@code scalar}, {@code vector(n)}, {@code rowvector(n)}, {@code matrix(n,m)}. */
    public String describe() {
        if (isScalar()) {
            return "scalar";
        }
        if (isColumn()) {
            return "vector" + sizes(rows);
        }
        if (isRow()) {
            return "rowvector" + sizes(cols);
        }
        return "matrix" + sizes(rows, cols);
    }

    private static String sizes(Size... sizes) {
        boolean allUnknown = true;
        for (Size s : sizes) {
            allUnknown &= s instanceof Size.Unknown;
        }
        if (allUnknown) {
            return "";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < sizes.length; i++) {
            sb.append(i > 0 ? "," : "").append(sizes[i]);
        }
        return sb.append(')').toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
