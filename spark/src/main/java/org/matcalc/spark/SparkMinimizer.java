package org.matcalc.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import org.matcalc.expr.Declarations;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.MatcalcException.Kind;
import org.matcalc.expr.Shape;
import org.matcalc.expr.Size;
import org.matcalc.methods.optimize.Lbfgs;
import org.matcalc.methods.optimize.NewtonCg;
import org.matcalc.methods.optimize.Objective;
import org.matcalc.methods.optimize.Options;
import org.matcalc.methods.optimize.Result;
import org.matcalc.minimize.Separable;
import org.matcalc.numeric.Mat;

import scala.Tuple2;

/**
 * {@code minimize} on Apache Spark for objectives that are sums over the rows of their data
 * ({@link Separable}): the rows are read by Spark, validated and cached once as blocks, one per
 * partition; at each point every partition evaluates its block's value and gradient with the
 * compiled plan (matcalc's kernels, native BLAS for large blocks), {@code treeAggregate} sums
 * them, and the driver adds the part without row data and runs the same L-BFGS as
 * {@code minimize}, with the same stopping rule and iteration table. docs/spark.md shows its use.
 */
public final class SparkMinimizer {
    private SparkMinimizer() {
    }

    /** The driver's method: L-BFGS (as minimize), or Newton-CG from Hessian-vector products summed like the gradients. */
    public enum Solver { LBFGS, NEWTON_CG }

    /** The solution, and where it came from. */
    public record Solution(Mat x, Result result, long rows, int partitions, double seconds, String rowPart, String rest) {
    }

    /**
     * The data's rows, validated: each row a map from data name to its entries, or the first
     * problem found in a partition ("file X.csv, row 17, column 3: not a number").
     */
    static final class Block implements Serializable {
        private static final long serialVersionUID = 1;
        final Map<String, double[]> values = new HashMap<>();
        final Map<String, Integer> cols = new HashMap<>();
        int rows;
        String error;

        /** Built once per cached block and kept: the same Mat each iteration keeps its native copy (docs/performance.md). */
        private transient Map<String, Mat> mats;

        synchronized Map<String, Mat> mats() {
            if (mats == null) {
                mats = new LinkedHashMap<>();
                values.forEach((k, v) -> mats.put(k, Mat.wrap(org.ejml.data.DMatrixRMaj.wrap(rows, cols.get(k), v))));
            }
            return mats;
        }
    }

    /** One row of every data name, or why it could not be read. */
    record RowValues(Map<String, double[]> values, String error) implements Serializable {
    }

    /** What an executor needs to rebuild the split (the split itself holds compiled plans, which do not travel). */
    record Spec(String id, String objective, String declarations, String wrt, Map<String, int[]> shapes, Set<String> rowData,
                Map<String, double[][]> other, int tasksPerJvm) implements Serializable {
        Separable separable() {
            return SPLITS.computeIfAbsent(id, k -> {
                // the JVM's cores are shared by the tasks it runs at once: each native product gets its part
                org.matcalc.numeric.Blas.shareCores(tasksPerJvm);
                Map<String, Shape> s = new LinkedHashMap<>();
                shapes.forEach((n, rc) -> s.put(n, new Shape(Size.of(rc[0]), Size.of(rc[1]))));
                Map<String, Mat> o = new LinkedHashMap<>();
                other.forEach((n, v) -> o.put(n, Mat.of(v)));
                return Separable.of(objective, Declarations.fromLines(declarations), wrt, s, rowData, o);
            });
        }
    }

    private static final Map<String, Separable> SPLITS = new ConcurrentHashMap<>();

    /**
     * Minimises {@code objective} over {@code wrt}, the data matrices' entries read from the
     * {@code columns} of {@code data} (in order: a one-column data name is a vector).
     *
     * @param otherData data that is not split by rows (a prior, a regularisation weight), whole on every partition
     * @param start     the starting point, or null for zeros
     * @param partitions how many partitions (blocks), or 0 for Spark's default parallelism
     * @throws MatcalcException before any iteration when the objective is not separable, a column is
     *                          missing, or a value is missing or not a finite number (naming row and column)
     */
    public static Solution minimize(SparkSession spark, String objective, String declarations, String wrt, Dataset<Row> data,
                                    Map<String, List<String>> columns, Map<String, Mat> otherData, Mat start, Options options,
                                    int partitions) {
        return minimize(spark, objective, declarations, wrt, data, columns, otherData, start, options, partitions, Solver.LBFGS);
    }

    /** As above, by the given method. */
    public static Solution minimize(SparkSession spark, String objective, String declarations, String wrt, Dataset<Row> data,
                                    Map<String, List<String>> columns, Map<String, Mat> otherData, Mat start, Options options,
                                    int partitions, Solver solver) {
        List<String> present = List.of(data.columns());
        for (Map.Entry<String, List<String>> c : columns.entrySet()) {
            for (String col : c.getValue()) {
                if (!present.contains(col)) {
                    throw new MatcalcException(Kind.REQUEST, "column " + col + " of " + c.getKey() + " is not in the data; its columns are "
                            + String.join(", ", present));
                }
            }
        }
        Map<String, List<String>> cols = new LinkedHashMap<>(columns);
        Map<String, Integer> widths = new LinkedHashMap<>();
        cols.forEach((k, v) -> widths.put(k, v.size()));
        Separable split = split(objective, declarations, wrt, widths, otherData);
        // the table's partitions as they are (no shuffle) unless asked otherwise, each read straight into blocks
        // of at most BLOCK_ENTRIES entries, no row objects
        Dataset<Row> d = partitions > 0 && partitions != data.rdd().getNumPartitions() ? data.repartition(partitions) : data;
        int maxRows = maxRows(widths);
        JavaRDD<Block> blocks = d.javaRDD().zipWithIndex().mapPartitions(it -> blocksOfRows(it, cols, maxRows).iterator());
        return run(spark, split, objective, declarations, wrt, blocks, widths, otherData, start, options, solver);
    }

    /**
     * As {@link #minimize(SparkSession, String, String, String, Dataset, Map, Map, Mat, Options, int)}, the data
     * from CSV files read by Spark's text reader, one file per data name, aligned by line (a first
     * line whose fields are all words is a header and is skipped).
     */
    public static Solution minimizeCsv(SparkSession spark, String objective, String declarations, String wrt, Map<String, String> files,
                                       Map<String, Mat> otherData, Mat start, Options options, int partitions) {
        return minimizeCsv(spark, objective, declarations, wrt, files, otherData, start, options, partitions, Solver.LBFGS);
    }

    /** As above, by the given method. */
    public static Solution minimizeCsv(SparkSession spark, String objective, String declarations, String wrt, Map<String, String> files,
                                       Map<String, Mat> otherData, Mat start, Options options, int partitions, Solver solver) {
        JavaPairRDD<Long, Map<String, double[]>> joined = null;
        JavaPairRDD<Long, String> errors = null;
        Map<String, Integer> widths = new LinkedHashMap<>();
        Map<String, Boolean> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : files.entrySet()) { // the first lines only: widths and headers
            List<String> head = spark.read().textFile(f.getValue()).javaRDD().take(2);
            if (head.isEmpty()) {
                throw new MatcalcException(Kind.REQUEST, f.getValue() + " is empty");
            }
            boolean header = isHeader(head.get(0));
            String sample = header ? (head.size() > 1 ? head.get(1) : null) : head.get(0);
            if (sample == null) {
                throw new MatcalcException(Kind.REQUEST, f.getValue() + " has a header and no rows");
            }
            widths.put(f.getKey(), sample.split(",", -1).length);
            headers.put(f.getKey(), header);
        }
        Separable split = split(objective, declarations, wrt, widths, otherData); // a refusal before the data is read
        long count = -1;
        String first = null;
        for (Map.Entry<String, String> f : files.entrySet()) {
            String name = f.getKey(), file = f.getValue();
            JavaRDD<String> lines = spark.read().textFile(file).javaRDD();
            boolean header = headers.get(name);
            int width = widths.get(name);
            JavaPairRDD<Long, Tuple2<double[], String>> parsed = lines.zipWithIndex()
                    .filter(t -> !(header && t._2() == 0) && !t._1().isBlank())
                    .mapToPair(t -> new Tuple2<>(header ? t._2() - 1 : t._2(), parse(t._1(), file, t._2() + 1, width)));
            parsed = parsed.persist(StorageLevel.MEMORY_AND_DISK());
            long n = parsed.count();
            if (count >= 0 && n != count) {
                throw new MatcalcException(Kind.REQUEST, file + " has " + n + " rows but " + files.get(first) + " has " + count
                        + "; the data files must have one row per observation each");
            }
            count = n;
            first = first == null ? name : first;
            JavaPairRDD<Long, String> bad = parsed.filter(t -> t._2()._2() != null).mapValues(t -> t._2());
            errors = errors == null ? bad : errors.union(bad);
            JavaPairRDD<Long, Map<String, double[]>> one = parsed.mapValues(t -> {
                Map<String, double[]> m = new HashMap<>();
                m.put(name, t._1());
                return m;
            });
            joined = joined == null ? one : joined.join(one).mapValues(t -> {
                Map<String, double[]> m = new HashMap<>(t._1());
                m.putAll(t._2());
                return m;
            });
        }
        List<Tuple2<Long, String>> firstBad = errors.sortByKey().take(1);
        if (!firstBad.isEmpty()) {
            throw new MatcalcException(Kind.REQUEST, firstBad.get(0)._2());
        }
        JavaRDD<RowValues> rows = joined.values().map(m -> new RowValues(m, null));
        int p = partitions > 0 ? partitions : Math.max(1, spark.sparkContext().defaultParallelism());
        Map<String, Integer> w = Map.copyOf(widths);
        int maxRows = maxRows(widths);
        JavaRDD<Block> blocks = rows.repartition(p).mapPartitions(it -> {
            List<Block> out = new ArrayList<>();
            do {
                out.add(block(it, w, maxRows));
            } while (it.hasNext());
            return out.iterator();
        });
        return run(spark, split, objective, declarations, wrt, blocks, widths, otherData, start, options, solver);
    }

    /** Entries of a block, at most: 32 MB of doubles, well inside the plan's entry limit; a partition holds as many blocks as it needs. */
    static final long BLOCK_ENTRIES = 4_000_000;

    /** The split, for shapes with a placeholder row count (the rows are not counted yet). */
    private static Separable split(String objective, String declarations, String wrt, Map<String, Integer> widths, Map<String, Mat> otherData) {
        Declarations decls = Declarations.fromLines(declarations == null ? "" : declarations);
        return Separable.of(objective, decls, wrt, placeholderShapes(widths, otherData), widths.keySet(), otherData);
    }

    /** Each row data name with 2 rows (any count types alike) and its width; the other data as it is. */
    private static Map<String, Shape> placeholderShapes(Map<String, Integer> widths, Map<String, Mat> otherData) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        widths.forEach((k, w) -> shapes.put(k, new Shape(new Size.Fixed(2), Size.of(w))));
        otherData.forEach((k, v) -> shapes.put(k, new Shape(Size.of(v.rows()), Size.of(v.cols()))));
        return shapes;
    }

    private static Solution run(SparkSession spark, Separable split, String objective, String declarations, String wrt, JavaRDD<Block> rawBlocks,
                                Map<String, Integer> widths, Map<String, Mat> otherData, Mat start, Options options, Solver solver) {
        JavaRDD<Block> blocks = rawBlocks.persist(StorageLevel.MEMORY_AND_DISK());
        int p = blocks.getNumPartitions();
        Map<String, Shape> shapes = placeholderShapes(widths, otherData);
        List<String> bad = blocks.filter(b -> b.error != null).map(b -> b.error).take(1);
        if (!bad.isEmpty()) {
            throw new MatcalcException(Kind.REQUEST, bad.get(0));
        }
        long n = blocks.map(b -> (long) b.rows).reduce(Long::sum);
        if (n == 0) {
            throw new MatcalcException(Kind.REQUEST, "the data has no rows");
        }

        Map<String, int[]> specShapes = new LinkedHashMap<>();
        shapes.forEach((k, s) -> specShapes.put(k, new int[] {((Size.Fixed) s.rows()).value(), ((Size.Fixed) s.cols()).value()}));
        Map<String, double[][]> other = new LinkedHashMap<>();
        otherData.forEach((k, v) -> other.put(k, v.toArray()));
        // tasks that share one JVM: all of local[N]'s, or an executor's cores
        int tasks = spark.sparkContext().isLocal() ? spark.sparkContext().defaultParallelism()
                : spark.sparkContext().getConf().getInt("spark.executor.cores", 1);
        Spec spec = new Spec(java.util.UUID.randomUUID().toString(), objective, declarations == null ? "" : declarations, wrt,
                specShapes, Set.copyOf(widths.keySet()), other, tasks);
        int d = split.dimension();
        Objective f = (x, gradient) -> {
            double[] xs = x.clone();
            double[] sum = blocks.treeAggregate(new double[d + 1], (acc, b) -> add(acc, evaluate(spec, b, xs)), SparkMinimizer::add, 2);
            Mat[] rest = split.rest(split.unpack(x));
            double[] g = split.pack(rest[1]);
            for (int i = 0; i < d; i++) {
                gradient[i] = sum[i + 1] + g[i];
            }
            return sum[0] + rest[0].scalarValue();
        };
        double[] x0 = start == null ? new double[d] : split.pack(start);
        long t0 = System.nanoTime();
        NewtonCg.HessianTimes hv = (x, v) -> {
            double[] xs = x.clone(), vs = v.clone();
            double[] sum = blocks.treeAggregate(new double[d], (acc, b) -> add(acc, hvp(spec, b, xs, vs)), SparkMinimizer::add, 2);
            double[] rest = split.pack(split.hvpRest(split.unpack(x), split.unpack(v)));
            for (int i = 0; i < d; i++) {
                sum[i] += rest[i];
            }
            return sum;
        };
        Result r;
        try {
            r = solver == Solver.NEWTON_CG ? NewtonCg.minimize(f, hv, x0, options) : Lbfgs.minimize(f, x0, options);
        } catch (Exception e) { // Spark's SparkException arrives undeclared (Scala)
            throw refusalIn(e);
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        blocks.unpersist(false);
        return new Solution(split.unpack(r.x()), r, n, p, seconds, split.rowPart(), split.rest());
    }

    /** A refusal raised in a task (a block over the plan's entry limit, a domain error), as the driver's own; else the failure. */
    private static RuntimeException refusalIn(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MatcalcException m) {
                return new MatcalcException(m.kind(), m.getMessage() + (m.getMessage().contains("limit")
                        ? " (in one block of rows; more partitions make smaller blocks: --partitions)" : ""));
            }
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException("Spark failed: " + e.getMessage(), e);
    }

    /** A block's value and gradient, packed as [f, g_1, ..., g_d] (an empty block adds nothing). */
    private static double[] evaluate(Spec spec, Block b, double[] x) {
        Separable s = spec.separable();
        double[] out = new double[s.dimension() + 1];
        if (b.rows == 0) {
            return out;
        }
        Mat[] fg = s.onBlock(b.mats(), s.unpack(x));
        out[0] = fg[0].scalarValue();
        System.arraycopy(s.pack(fg[1]), 0, out, 1, s.dimension());
        return out;
    }

    /** A block's Hessian-vector product (an empty block adds nothing). */
    private static double[] hvp(Spec spec, Block b, double[] x, double[] v) {
        Separable s = spec.separable();
        if (b.rows == 0) {
            return new double[s.dimension()];
        }
        return s.pack(s.hvpOnBlock(b.mats(), s.unpack(x), s.unpack(v)));
    }

    private static double[] add(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }

    /** Rows in a block: {@link #BLOCK_ENTRIES} entries of all the row data together. */
    static int maxRows(Map<String, Integer> widths) {
        long width = widths.values().stream().mapToLong(Integer::longValue).sum();
        return (int) Math.max(1, BLOCK_ENTRIES / Math.max(1, width));
    }

    /** A partition's rows of a table in blocks of at most {@code maxRows} rows. */
    private static List<Block> blocksOfRows(Iterator<Tuple2<Row, Long>> it, Map<String, List<String>> columns, int maxRows) {
        List<Block> out = new ArrayList<>();
        do {
            out.add(blockOfRows(it, columns, maxRows));
        } while (it.hasNext());
        return out;
    }

    /** One block of up to maxRows of a partition's rows, the columns of each data name in order; the first bad cell noted. */
    private static Block blockOfRows(Iterator<Tuple2<Row, Long>> it, Map<String, List<String>> columns, int maxRows) {
        Block b = new Block();
        Map<String, int[]> index = null;
        Map<String, double[]> grow = new HashMap<>();
        columns.forEach((k, v) -> grow.put(k, new double[1024 * v.size()]));
        while (b.rows < maxRows && it.hasNext()) {
            Tuple2<Row, Long> t = it.next();
            Row row = t._1();
            if (index == null) {
                index = new HashMap<>();
                for (Map.Entry<String, List<String>> c : columns.entrySet()) {
                    int[] ix = new int[c.getValue().size()];
                    for (int j = 0; j < ix.length; j++) {
                        ix[j] = row.fieldIndex(c.getValue().get(j));
                    }
                    index.put(c.getKey(), ix);
                }
            }
            boolean ok = true;
            for (Map.Entry<String, int[]> c : index.entrySet()) {
                int[] ix = c.getValue();
                double[] a = grow.get(c.getKey());
                if ((b.rows + 1) * ix.length > a.length) {
                    a = java.util.Arrays.copyOf(a, 2 * a.length);
                    grow.put(c.getKey(), a);
                }
                for (int j = 0; j < ix.length && ok; j++) {
                    Object o = row.isNullAt(ix[j]) ? null : row.get(ix[j]);
                    Double d = o instanceof Number num ? (Double) num.doubleValue() : o instanceof String str ? number(str) : null;
                    if (d == null || !Double.isFinite(d)) {
                        if (b.error == null) {
                            String col = columns.get(c.getKey()).get(j);
                            b.error = "row " + (t._2() + 1) + ", column " + col + " (" + c.getKey() + "): "
                                    + (o == null ? "missing" : "\"" + o + "\" is not a finite number");
                        }
                        ok = false;
                    } else {
                        a[b.rows * ix.length + j] = d;
                    }
                }
            }
            if (ok) {
                b.rows++;
            }
        }
        for (Map.Entry<String, List<String>> c : columns.entrySet()) {
            int w = c.getValue().size();
            b.values.put(c.getKey(), java.util.Arrays.copyOf(grow.get(c.getKey()), b.rows * w));
            b.cols.put(c.getKey(), w);
        }
        return b;
    }

    private static Block block(Iterator<RowValues> it, Map<String, Integer> widths, int maxRows) {
        Block b = new Block();
        Map<String, List<double[]>> rows = new HashMap<>();
        widths.keySet().forEach(k -> rows.put(k, new ArrayList<>()));
        while (b.rows < maxRows && it.hasNext()) {
            RowValues r = it.next();
            if (r.error() != null) {
                b.error = b.error == null ? r.error() : b.error;
                continue;
            }
            r.values().forEach((k, v) -> rows.get(k).add(v));
            b.rows++;
        }
        widths.forEach((k, w) -> {
            double[] all = new double[b.rows * w];
            List<double[]> rs = rows.get(k);
            for (int i = 0; i < rs.size(); i++) {
                System.arraycopy(rs.get(i), 0, all, i * w, w);
            }
            b.values.put(k, all);
            b.cols.put(k, w);
        });
        return b;
    }

    /** A CSV line's numbers, or the first problem with its file, line and column. */
    static Tuple2<double[], String> parse(String line, String file, long lineNumber, int width) {
        String[] fields = line.split(",", -1);
        if (fields.length != width) {
            return new Tuple2<>(null, file + ", line " + lineNumber + ": " + fields.length + " fields, but the first row has " + width);
        }
        double[] v = new double[width];
        for (int j = 0; j < width; j++) {
            Double d = number(fields[j]);
            if (d == null || !Double.isFinite(d)) {
                return new Tuple2<>(null, file + ", line " + lineNumber + ", column " + (j + 1) + ": \"" + fields[j].trim()
                        + "\" is not a finite number");
            }
            v[j] = d;
        }
        return new Tuple2<>(v, null);
    }

    private static Double number(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A first line whose every field is a word (not a number) is a header. */
    static boolean isHeader(String line) {
        for (String f : line.split(",", -1)) {
            if (f.isBlank() || number(f) != null) {
                return false;
            }
        }
        return true;
    }
}
