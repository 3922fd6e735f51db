package org.matcalc.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.apache.spark.sql.functions.when;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import org.matcalc.expr.Declarations;
import org.matcalc.methods.optimize.Iteration;
import org.matcalc.methods.optimize.Lbfgs;
import org.matcalc.methods.optimize.Options;
import org.matcalc.methods.optimize.Result;
import org.matcalc.numeric.Mat;

/**
 * matcalc's minimize on Spark against Spark MLlib's {@code LogisticRegression}, same data, same
 * objective, same machine, {@code local[2]}: logistic regression with an L2 term,
 * {@code sum(softplus(X*w)) - y'*X*w + c*norm2(w)^2} with c = m*regParam/2, which is m times
 * MLlib's mean loss plus regParam/2 |w|^2 (fitIntercept false, standardization false). For each
 * number of rows: the time each takes to reach the better of the two final objectives to 1e-6
 * relative (data cached and counted beforehand, the time from the call), and the time per
 * iteration (that time over the iterations to the target), with the single-machine minimize
 * beside it (its data collected first, then block by block). One JSON object per line; with an output
 * directory, the plot of time per iteration against rows.
 *
 * <p>Run by bench/run-spark: {@code SparkBench ROWS[,ROWS...] [PLOT.png]}.
 */
public final class SparkBench {
    static final int FEATURES = 100;
    static final double REG = 1e-3;
    static final double TARGET = 1e-6;

    private SparkBench() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        List<Long> sizes = new ArrayList<>();
        for (String s : args[0].split(",")) {
            sizes.add((long) Double.parseDouble(s));
        }
        SparkSession spark = SparkSession.builder().master("local[2]").appName("matcalc bench").config("spark.ui.enabled", "false")
                .config("spark.driver.memory", "16g").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        Map<String, double[]> perIteration = new LinkedHashMap<>();
        double[] rows = new double[sizes.size()];
        double[] mc = new double[sizes.size()], ml = new double[sizes.size()], single = new double[sizes.size()];
        for (int k = 0; k < sizes.size(); k++) {
            long m = sizes.get(k);
            rows[k] = m;
            double[] r = one(spark, m);
            mc[k] = r[0];
            ml[k] = r[1];
            single[k] = r[2];
        }
        perIteration.put("matcalc on Spark", mc);
        perIteration.put("Spark MLlib LogisticRegression", ml);
        perIteration.put("matcalc minimize, one machine", single);
        spark.stop();
        if (args.length > 1) {
            org.knowm.xchart.XYChart chart = org.matcalc.examples.Plots.chart(800, 500,
                    "logistic regression + L2, 100 features, local[2]: time per iteration", "rows", "ms per iteration");
            chart.getStyler().setXAxisLogarithmic(true);
            chart.getStyler().setYAxisLogarithmic(true);
            perIteration.forEach((name, ms) -> {
                List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
                for (int i = 0; i < ms.length; i++) {
                    if (ms[i] > 0) {
                        xs.add(rows[i]);
                        ys.add(ms[i]);
                    }
                }
                if (!xs.isEmpty()) {
                    chart.addSeries(name, xs, ys);
                }
            });
            org.matcalc.examples.Plots.savePng(chart, Path.of(args[1]));
            System.err.println("wrote " + args[1]);
        }
    }

    /** One size: the JSON line; returns the ms per iteration of matcalc, MLlib and one machine (0: not run). */
    static double[] one(SparkSession spark, long m) {
        // the data: x_j standard normal / sqrt(100), y ~ Bernoulli(sigmoid(x'w*)), drawn by Spark itself
        Random r = new Random(7);
        Column z = lit(0.0);
        List<Column> xs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Dataset<Row> base = spark.range(0, m, 1, 2).toDF("id");
        for (int j = 0; j < FEATURES; j++) {
            base = base.withColumn("x" + j, randn(100 + j).divide(Math.sqrt(FEATURES)));
            names.add("x" + j);
            z = z.plus(col("x" + j).multiply(r.nextGaussian()));
        }
        Dataset<Row> data = base.withColumn("y", when(rand(5).lt(lit(1.0).divide(exp(z.multiply(-1)).plus(1))), 1.0).otherwise(0.0))
                .drop("id").persist(StorageLevel.MEMORY_ONLY());
        data.count();
        Dataset<Row> assembled = new VectorAssembler().setInputCols(names.toArray(new String[0])).setOutputCol("features").transform(data)
                .select("features", "y").persist(StorageLevel.MEMORY_ONLY());
        assembled.count();

        // MLlib to convergence, then again stopped at the iteration that reached the target
        LogisticRegression lr = new LogisticRegression().setRegParam(REG).setElasticNetParam(0).setFitIntercept(false)
                .setStandardization(false).setLabelCol("y").setFeaturesCol("features").setTol(1e-12).setMaxIter(300);
        long t0 = System.nanoTime();
        LogisticRegressionModel full = lr.fit(assembled);
        double mlFullMs = (System.nanoTime() - t0) / 1e6;
        double[] history = full.summary().objectiveHistory();
        int mlIterations = full.summary().totalIterations();

        // matcalc on the same rows, the per-iteration times from the progress callback
        String objective = "sum(softplus(X*w)) - y'*X*w + c*norm2(w)^2";
        Map<String, List<String>> columns = new LinkedHashMap<>();
        columns.put("X", names);
        columns.put("y", List.of("y"));
        List<double[]> seen = new ArrayList<>(); // (ms since the call, f)
        long[] start = {0};
        Options o = Options.defaults().withMaxIterations(500).withGradientTolerance(1e-8 * m)
                .withProgress((Iteration it) -> seen.add(new double[] {(System.nanoTime() - start[0]) / 1e6, it.value()}));
        start[0] = System.nanoTime();
        SparkMinimizer.Solution s = SparkMinimizer.minimize(spark, objective, "", "w", data, columns,
                Map.of("c", Mat.scalar(m * REG / 2)), null, o, 0);
        double mcTotalMs = (System.nanoTime() - start[0]) / 1e6;

        double best = Math.min(m * history[history.length - 1], s.result().value());
        double target = best + TARGET * Math.abs(best);
        double mcToTarget = Double.NaN;
        for (double[] p : seen) {
            if (p[1] <= target) {
                mcToTarget = p[0];
                break;
            }
        }
        int kStar = -1;
        for (int i = 0; i < history.length; i++) {
            if (m * history[i] <= target) {
                kStar = i;
                break;
            }
        }
        double mlToTarget = Double.NaN;
        if (kStar >= 0) {
            long t1 = System.nanoTime();
            LogisticRegressionModel stopped = lr.copy(new org.apache.spark.ml.param.ParamMap()).setMaxIter(Math.max(1, kStar)).fit(assembled);
            mlToTarget = (System.nanoTime() - t1) / 1e6;
            double[] h = stopped.summary().objectiveHistory();
            if (m * h[h.length - 1] > target) {
                mlToTarget = Double.NaN; // stopped short of the target after all: reported as missing
            }
            // per iteration: the difference of the two fits over the difference of their iterations
        }
        // per iteration: the time to the target over the iterations to it, setup included, for all three alike
        int mcIterationsToTarget = 0;
        while (mcIterationsToTarget < seen.size() && seen.get(mcIterationsToTarget)[1] > target) {
            mcIterationsToTarget++;
        }
        double mlPerIteration = mlToTarget / Math.max(1, kStar);
        double mcPerIteration = mcToTarget / Math.max(1, mcIterationsToTarget);

        // minimize on one machine, the same rows collected (up to 10^6 rows: 800 MB) and evaluated block by block
        double singlePerIteration = 0;
        if (m <= 1_000_000) {
            List<Row> all = data.collectAsList();
            double[] x = new double[(int) m * FEATURES];
            double[] y = new double[(int) m];
            for (int i = 0; i < m; i++) {
                Row row = all.get(i);
                for (int j = 0; j < FEATURES; j++) {
                    x[i * FEATURES + j] = row.getDouble(j);
                }
                y[i] = row.getDouble(FEATURES);
            }
            all = null;
            Map<String, Mat> values = new LinkedHashMap<>();
            values.put("X", Mat.rowMajor((int) m, FEATURES, x));
            values.put("y", Mat.column(y));
            values.put("c", Mat.scalar(m * REG / 2));
            // in blocks of at most 4,000,000 entries, as the Spark partitions: one X of 10^6 x 100 is past the plan's entry limit
            Map<String, Mat> rowData = new LinkedHashMap<>(values);
            rowData.remove("c");
            org.matcalc.minimize.Separable sep = org.matcalc.minimize.Separable.of(objective, Declarations.NONE, "w",
                    org.matcalc.numeric.Evaluator.shapesOf(values), Map.of("c", values.get("c")));
            List<double[]> times = new ArrayList<>();
            long t2 = System.nanoTime();
            Result local = Lbfgs.minimize(sep.over(sep.blocks(rowData, 40_000)), new double[FEATURES], Options.defaults().withMaxIterations(500)
                    .withGradientTolerance(1e-8 * m).withProgress(it -> times.add(new double[] {(System.nanoTime() - t2) / 1e6, it.value()})));
            for (int i = 0; i < times.size(); i++) {
                if (times.get(i)[1] <= target) {
                    singlePerIteration = times.get(i)[0] / Math.max(1, i);
                    break;
                }
            }
            if (Math.abs(local.value() - s.result().value()) > 1e-8 * Math.abs(local.value())) {
                throw new IllegalStateException("one machine and Spark reached different optima: " + local.value() + " vs " + s.result().value());
            }
        }
        System.out.printf("{\"rows\": %d, \"features\": %d, \"partitions\": %d, \"objective_matcalc\": %.15g, \"objective_mllib\": %.15g, "
                        + "\"matcalc_ms_to_target\": %.1f, \"mllib_ms_to_target\": %.1f, \"ratio\": %.3f, \"matcalc_iterations\": %d, "
                        + "\"mllib_iterations\": %d, \"mllib_iterations_to_target\": %d, \"matcalc_ms_total\": %.1f, \"mllib_ms_total\": %.1f, "
                        + "\"matcalc_ms_per_iteration\": %.2f, \"mllib_ms_per_iteration\": %.2f, \"one_machine_ms_per_iteration\": %.2f}%n",
                m, FEATURES, s.partitions(), s.result().value(), m * history[history.length - 1], mcToTarget, mlToTarget,
                mcToTarget / mlToTarget, s.result().iterations(), mlIterations, kStar, mcTotalMs, mlFullMs, mcPerIteration, mlPerIteration,
                singlePerIteration);
        System.out.flush();
        data.unpersist(true);
        assembled.unpersist(true);
        return new double[] {mcPerIteration, mlPerIteration, singlePerIteration};
    }
}
