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
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Solution minimize(String objective, String declarations, String wrt, Map<String, String> files, Map<String, Mat> otherData,
                             Mat start, Options options, Map<String, String> settings) {
        String master = settings.getOrDefault("master", "local[*]");
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
            SparkMinimizer.Solution s = SparkMinimizer.minimizeCsv(spark, objective, declarations, wrt, files, otherData, start, options,
                    partitions);
            return new Solution(s.x(), s.result(), s.rows(), s.partitions(), s.seconds(), s.rowPart(), s.rest(),
                    "Spark " + spark.version() + ", master " + master);
        } finally {
            spark.stop();
        }
    }
}
