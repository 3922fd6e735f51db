package org.matcalc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.matcalc.expr.Declarations;
import org.matcalc.expr.MatcalcException;
import org.matcalc.methods.optimize.Lbfgs;
import org.matcalc.methods.optimize.Options;
import org.matcalc.methods.optimize.Result;
import org.matcalc.minimize.Problem;
import org.matcalc.numeric.Mat;
import org.matcalc.numeric.RandomInputs;

/**
 * minimize on Spark, {@code local[2]}: least squares, ridge, logistic and softmax regression reach
 * the single-machine optimum (1e-8 relative) in the same number of iterations, from CSV files and
 * from a Dataset; non-separable objectives and bad data are refused before any iteration, naming
 * the part, or the file, row and column.
 */
class SparkMinimizerTest {
    static final Options TIGHT = Options.defaults().withMaxIterations(2000).withGradientTolerance(1e-8);
    static SparkSession spark;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("matcalc-test").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("least squares", "norm2(X*w - y)^2", "w", data(1, 203, 6, 0)),
                Arguments.of("ridge", "norm2(X*w - y)^2 + 0.5*norm2(w)^2", "w", data(2, 203, 6, 0)),
                Arguments.of("logistic", "sum(softplus(X*w)) - y'*X*w + 0.1*norm2(w)^2", "w", data(3, 251, 5, 2)),
                Arguments.of("softmax regression", "sum(log(exp(X*W)*vector(1, 3))) - sum(Y .* (X*W)) + 0.1*norm2(W)^2", "W",
                        data(4, 180, 4, 3)));
    }

    /** X (rows x cols) and y: a linear response (classes = 0), 0/1 labels (2), or one-hot rows Y (3 classes). */
    static Map<String, Mat> data(long seed, int rows, int cols, int classes) {
        Random r = new Random(seed);
        Mat x = RandomInputs.gaussian(rows, cols, r);
        Map<String, Mat> d = new LinkedHashMap<>();
        d.put("X", x);
        if (classes == 0) {
            d.put("y", x.times(RandomInputs.gaussian(cols, 1, r)).plus(RandomInputs.gaussian(rows, 1, r)));
        } else if (classes == 2) {
            double[] y = new double[rows];
            for (int i = 0; i < rows; i++) {
                y[i] = r.nextDouble() < 0.5 ? 0 : 1;
            }
            d.put("y", Mat.column(y));
        } else {
            double[][] y = new double[rows][classes];
            for (int i = 0; i < rows; i++) {
                y[i][r.nextInt(classes)] = 1;
            }
            d.put("Y", Mat.of(y));
        }
        return d;
    }

    static String csv(Path file, Mat m, boolean header) throws IOException {
        StringBuilder s = new StringBuilder();
        if (header) {
            for (int j = 0; j < m.cols(); j++) {
                s.append(j > 0 ? "," : "").append("c").append(j + 1);
            }
            s.append('\n');
        }
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                s.append(j > 0 ? "," : "").append(m.get(i, j));
            }
            s.append('\n');
        }
        Files.writeString(file, s);
        return file.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void reachesTheSingleMachineOptimumInTheSameIterations(String name, String objective, String wrt, Map<String, Mat> data)
            throws IOException {
        Problem one = Problem.of(objective, Declarations.NONE, wrt, data, null);
        Result local = Lbfgs.minimize(one.objective(), new double[one.dimension()], TIGHT);
        Map<String, String> files = new LinkedHashMap<>();
        boolean header = name.startsWith("l"); // with and without a header line
        for (Map.Entry<String, Mat> d : data.entrySet()) {
            files.put(d.getKey(), csv(dir.resolve(name.replace(' ', '_') + "_" + d.getKey() + ".csv"), d.getValue(), header));
        }
        SparkMinimizer.Solution s = SparkMinimizer.minimizeCsv(spark, objective, "", wrt, files, Map.of(), null, TIGHT, 3);
        assertTrue(local.converged() && s.result().converged(), name);
        assertEquals(local.value(), s.result().value(), 1e-8 * Math.abs(local.value()), name + ": the same optimum");
        assertEquals(local.iterations(), s.result().iterations(), name + ": the same iterations");
        assertEquals(data.get("X").rows(), s.rows());
        assertEquals(3, s.partitions());
        // Newton-CG from Hessian-vector products summed over the partitions: the same optimum
        SparkMinimizer.Solution n = SparkMinimizer.minimizeCsv(spark, objective, "", wrt, files, Map.of(), null, TIGHT, 3,
                SparkMinimizer.Solver.NEWTON_CG);
        assertTrue(n.result().converged(), n.result().message());
        assertEquals(local.value(), n.result().value(), 1e-8 * Math.abs(local.value()), name + ": Newton-CG");
    }

    @Test
    void theCommandFindsTheEngineByName() throws IOException {
        Map<String, Mat> d = data(7, 90, 3, 0);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("X", csv(dir.resolve("e_X.csv"), d.get("X"), false));
        files.put("y", csv(dir.resolve("e_y.csv"), d.get("y"), false));
        org.matcalc.minimize.RowEngine e = org.matcalc.minimize.RowEngine.named("spark");
        // the engine starts and stops its own session; this test's session is reused (getOrCreate), so restart it after
        org.matcalc.minimize.RowEngine.Solution s = e.minimize("norm2(X*w - y)^2 + lambda*norm2(w)^2", "", "w", files,
                Map.of("lambda", Mat.scalar(0.1)), null, TIGHT, Map.of("master", "local[2]", "partitions", "2"));
        start();
        Map<String, Mat> all = new LinkedHashMap<>(d);
        all.put("lambda", Mat.scalar(0.1));
        Problem one = Problem.of("norm2(X*w - y)^2 + lambda*norm2(w)^2", Declarations.NONE, "w", all, null);
        Result local = Lbfgs.minimize(one.objective(), new double[3], TIGHT);
        assertEquals(local.value(), s.result().value(), 1e-8 * Math.abs(local.value()));
        assertEquals("lambda*norm2(w)^2", s.rest());
        assertTrue(s.where().startsWith("Spark 4.2.0"), s.where());
    }

    @Test
    void columnsOfOneParquetFile() {
        Map<String, Mat> d = data(8, 150, 3, 0);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            rows.add(RowFactory.create(d.get("X").get(i, 0), d.get("X").get(i, 1), d.get("X").get(i, 2), d.get("y").get(i, 0)));
        }
        List<StructField> fields = new ArrayList<>();
        for (String c : List.of("a", "b", "c", "label")) {
            fields.add(DataTypes.createStructField(c, DataTypes.DoubleType, false));
        }
        String file = dir.resolve("table.parquet").toString();
        spark.createDataFrame(rows, new StructType(fields.toArray(new StructField[0]))).write().parquet(file);
        org.matcalc.minimize.RowEngine.Solution s = org.matcalc.minimize.RowEngine.named("spark").minimize("norm2(X*w - y)^2", "", "w",
                new LinkedHashMap<>(Map.of("X", file + ":a,b,c", "y", file + ":label")), Map.of(), null, TIGHT,
                Map.of("master", "local[2]", "partitions", "0"));
        start();
        Problem one = Problem.of("norm2(X*w - y)^2", Declarations.NONE, "w", d, null);
        Result local = Lbfgs.minimize(one.objective(), new double[3], TIGHT);
        assertEquals(local.value(), s.result().value(), 1e-8 * Math.abs(local.value()));
        assertEquals(150, s.rows());
    }

    @Test
    void aDatasetWithNamedColumns() {
        Map<String, Mat> d = data(5, 120, 3, 0);
        List<StructField> fields = new ArrayList<>();
        for (String c : List.of("a", "b", "c", "label")) {
            fields.add(DataTypes.createStructField(c, DataTypes.DoubleType, true));
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            rows.add(RowFactory.create(d.get("X").get(i, 0), d.get("X").get(i, 1), d.get("X").get(i, 2), d.get("y").get(i, 0)));
        }
        Dataset<Row> table = spark.createDataFrame(rows, new StructType(fields.toArray(new StructField[0])));
        Map<String, List<String>> columns = Map.of("X", List.of("a", "b", "c"), "y", List.of("label"));
        SparkMinimizer.Solution s = SparkMinimizer.minimize(spark, "norm2(X*w - y)^2", "", "w", table, columns, Map.of(), null, TIGHT, 2);
        Problem one = Problem.of("norm2(X*w - y)^2", Declarations.NONE, "w", d, null);
        Result local = Lbfgs.minimize(one.objective(), new double[3], TIGHT);
        assertEquals(local.value(), s.result().value(), 1e-8 * Math.abs(local.value()));

        MatcalcException missing = assertThrows(MatcalcException.class, () -> SparkMinimizer.minimize(spark, "norm2(X*w - y)^2", "", "w",
                table, Map.of("X", List.of("a", "b", "z"), "y", List.of("label")), Map.of(), null, TIGHT, 2));
        assertTrue(missing.getMessage().contains("column z of X is not in the data"), missing.getMessage());
    }

    @Test
    void nonSeparableObjectivesAreRefusedBeforeAnyWork() throws IOException {
        Map<String, Mat> d = data(6, 50, 3, 0);
        Map<String, String> files = Map.of("X", csv(dir.resolve("ns_X.csv"), d.get("X"), false), "y", csv(dir.resolve("ns_y.csv"), d.get("y"), false));
        MatcalcException e = assertThrows(MatcalcException.class,
                () -> SparkMinimizer.minimizeCsv(spark, "norm2(X*w - y)", "", "w", files, Map.of(), null, TIGHT, 2));
        assertTrue(e.getMessage().contains("not separable over the rows") && e.getMessage().contains("without its square"), e.getMessage());
        MatcalcException gram = assertThrows(MatcalcException.class,
                () -> SparkMinimizer.minimizeCsv(spark, "sum(inv(X'*X)*w) + norm2(w)^2", "", "w", files, Map.of(), null, TIGHT, 2));
        assertTrue(gram.getMessage().contains("inv(X'*X)*w"), gram.getMessage());
    }

    @Test
    void badDataIsRefusedWithFileRowAndColumn() throws IOException {
        Path y = dir.resolve("bad_y.csv");
        Files.writeString(y, "1\n2\n3\n4\n");
        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, "1,2\n3,4\n5\n7,8\n");
        MatcalcException r = assertThrows(MatcalcException.class, () -> SparkMinimizer.minimizeCsv(spark, "norm2(X*w - y)^2", "", "w",
                Map.of("X", ragged.toString(), "y", y.toString()), Map.of(), null, TIGHT, 2));
        assertTrue(r.getMessage().contains("ragged.csv, line 3: 1 fields, but the first row has 2"), r.getMessage());

        Path nan = dir.resolve("nan.csv");
        Files.writeString(nan, "1,2\n3,NaN\n5,6\n7,8\n");
        MatcalcException n = assertThrows(MatcalcException.class, () -> SparkMinimizer.minimizeCsv(spark, "norm2(X*w - y)^2", "", "w",
                Map.of("X", nan.toString(), "y", y.toString()), Map.of(), null, TIGHT, 2));
        assertTrue(n.getMessage().contains("nan.csv, line 2, column 2: \"NaN\" is not a finite number"), n.getMessage());

        Path word = dir.resolve("word.csv");
        Files.writeString(word, "1,2\n3,4\nfive,6\n7,8\n");
        MatcalcException w = assertThrows(MatcalcException.class, () -> SparkMinimizer.minimizeCsv(spark, "norm2(X*w - y)^2", "", "w",
                Map.of("X", word.toString(), "y", y.toString()), Map.of(), null, TIGHT, 2));
        assertTrue(w.getMessage().contains("word.csv, line 3, column 1: \"five\""), w.getMessage());

        Path shorter = dir.resolve("short_y.csv");
        Files.writeString(shorter, "1\n2\n3\n");
        Path x = dir.resolve("good_x.csv");
        Files.writeString(x, "1,2\n3,4\n5,6\n7,8\n");
        MatcalcException c = assertThrows(MatcalcException.class, () -> SparkMinimizer.minimizeCsv(spark, "norm2(X*w - y)^2", "", "w",
                new LinkedHashMap<>(Map.of("X", x.toString(), "y", shorter.toString())), Map.of(), null, TIGHT, 2));
        assertTrue(c.getMessage().contains("rows but"), c.getMessage());
    }
}
