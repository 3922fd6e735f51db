package org.matcalc.minimize;

import java.util.Map;

import org.matcalc.methods.optimize.Options;
import org.matcalc.methods.optimize.Result;
import org.matcalc.numeric.Mat;

/**
 * Somewhere else to minimise an objective that is a sum over the rows of its data
 * ({@link Separable}): Apache Spark, provided by the optional {@code matcalc-spark} module and found
 * with {@link java.util.ServiceLoader}, so that neither the command nor the library carries Spark.
 */
public interface RowEngine {
    /** The name {@code --engine} selects it by, e.g. {@code spark}. */
    String name();

    /**
     * Minimises {@code objective} over {@code wrt}; the row data read from {@code files} (one CSV
     * per name, aligned by line), the other data given whole.
     *
     * @param settings engine settings by name (for Spark: {@code master}, {@code partitions})
     */
    Solution minimize(String objective, String declarations, String wrt, Map<String, String> files, Map<String, Mat> otherData,
                      Mat start, Options options, Map<String, String> settings);

    /** The solution; rows and partitions of the data; the row part and the rest of the split. */
    record Solution(Mat x, Result result, long rows, int partitions, double seconds, String rowPart, String rest, String where) {
    }

    /** The engine named {@code name} on the class path, or a refusal that says how to get it. */
    static RowEngine named(String name) {
        for (RowEngine e : java.util.ServiceLoader.load(RowEngine.class)) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new org.matcalc.expr.MatcalcException(org.matcalc.expr.MatcalcException.Kind.REQUEST, "the " + name
                + " engine is not on the class path: bin/matcalc adds the matcalc-spark module when --engine spark is given"
                + " (or put matcalc-spark and Spark's jars on the class path)");
    }
}
