package org.matcalc.spark;

import java.util.Map;

import org.apache.spark.sql.SparkSession;

import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.MatcalcException.Kind;
import org.matcalc.methods.optimize.Options;
import org.matcalc.minimize.RowEngine;
import org.matcalc.numeric.Mat;

/**
 * {@code minimize --engine spark}: starts Spark itself (embedded, {@code local[*]} unless
 * {@code master} names a cluster), runs {@link SparkMinimizer#minimizeCsv}, and stops it.
 */
public final class SparkEngine implements RowEngine {
    /** Data from Parquet: every name as FILE.parquet:col1,col2,... (or the whole file), all from one file, whose rows align. */
    private static boolean parquet(Map<String, String> files) {
        boolean any = files.values().stream().anyMatch(f -> f.replaceFirst(":[^/]*$", "").endsWith(".parquet"));
        boolean all = files.values().stream().allMatch(f -> f.replaceFirst(":[^/]*$", "").endsWith(".parquet"));
        if (any && !all) {
            throw new MatcalcException(Kind.REQUEST, "give all the row data as CSV files or all as columns of one Parquet file, not both");
        }
        return any;
    }

    private static SparkMinimizer.Solution fromParquet(SparkSession spark, String objective, String declarations, String wrt,
                                                      Map<String, String> files, Map<String, Mat> otherData, Mat start, Options options,
                                                      int partitions, SparkMinimizer.Solver solver) {
        String file = null;
        Map<String, java.util.List<String>> columns = new java.util.LinkedHashMap<>();
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> table = null;
        for (Map.Entry<String, String> f : files.entrySet()) {
            String[] fc = f.getValue().split(":(?=[^/]*$)", 2);
            if (file != null && !file.equals(fc[0])) {
                throw new MatcalcException(Kind.REQUEST, "the row data come from " + file + " and " + fc[0]
                        + "; Parquet rows align only within one file: give every name its columns of one file (X=t.parquet:a,b y=t.parquet:c)");
            }
            if (table == null) {
                table = spark.read().parquet(fc[0]);
            }
            file = fc[0];
            columns.put(f.getKey(), fc.length > 1 ? java.util.List.of(fc[1].split(",")) : java.util.List.of(table.columns()));
        }
        return SparkMinimizer.minimize(spark, objective, declarations, wrt, table, columns, otherData, start, options, partitions, solver);
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Solution minimize(String objective, String declarations, String wrt, Map<String, String> files, Map<String, Mat> otherData,
                             Mat start, Options options, Map<String, String> settings) {
        // under spark-submit the master is set already (spark.master); otherwise Spark runs in this process
        String master = settings.get("master") != null ? settings.get("master") : System.getProperty("spark.master", "local[*]");
        int partitions;
        try {
            partitions = Integer.parseInt(settings.getOrDefault("partitions", "0"));
        } catch (NumberFormatException e) {
            throw new MatcalcException(Kind.REQUEST, "--partitions must be a whole number, got " + settings.get("partitions"));
        }
        SparkSession spark = SparkSession.builder().master(master).appName("matcalc minimize").config("spark.ui.enabled", "false")
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        try {
            SparkMinimizer.Solver solver = "newton".equals(settings.get("method")) ? SparkMinimizer.Solver.NEWTON_CG : SparkMinimizer.Solver.LBFGS;
            SparkMinimizer.Solution s = parquet(files) ? fromParquet(spark, objective, declarations, wrt, files, otherData, start, options,
                    partitions, solver) : SparkMinimizer.minimizeCsv(spark, objective, declarations, wrt, files, otherData, start, options,
                    partitions, solver);
            return new Solution(s.x(), s.result(), s.rows(), s.partitions(), s.seconds(), s.rowPart(), s.rest(),
                    "Spark " + spark.version() + ", master " + master + (solver == SparkMinimizer.Solver.NEWTON_CG ? ", Newton-CG" : ""));
        } finally {
            spark.stop();
        }
    }
}
