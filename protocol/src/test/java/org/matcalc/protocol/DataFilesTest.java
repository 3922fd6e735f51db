package org.matcalc.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.matcalc.expr.MatcalcException;
import org.matcalc.numeric.Mat;

/**
 * Data files by extension: .npy written byte by byte as numpy.lib.format describes it (each
 * dtype, byte order and memory order matcalc reads), Matrix Market dense and coordinate, CSV
 * with a byte-order mark, and the refusals, each naming the file.
 */
class DataFilesTest {
    private static final Mat A = Mat.of(new double[][] {{1, 2, 3}, {4, 5, 6}});

    /** A .npy file of version 1.0 with the given header fields and the entries in file order. */
    private static byte[] npy(String descr, boolean fortran, String shape, double... entries) {
        String header = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }\n";
        boolean big = descr.startsWith(">");
        int width = descr.endsWith("8") ? 8 : 4;
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + width * entries.length);
        b.order(ByteOrder.LITTLE_ENDIAN).put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        b.order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (double v : entries) {
            if (width == 8) {
                b.putDouble(v);
            } else {
                b.putFloat((float) v);
            }
        }
        return b.array();
    }

    private static Mat read(Path dir, String file, byte[] bytes) throws Exception {
        Path p = dir.resolve(file);
        Files.write(p, bytes);
        return DataFiles.read("--at A", p);
    }

    @Test
    void npyInEveryDtypeByteOrderAndMemoryOrder(@TempDir Path dir) throws Exception {
        for (String descr : new String[] {"<f8", ">f8", "<f4", ">f4"}) {
            assertEquals(A, read(dir, "c.npy", npy(descr, false, "(2, 3)", 1, 2, 3, 4, 5, 6)), descr + " C order");
            // Fortran order: columns one after another
            assertEquals(A, read(dir, "f.npy", npy(descr, true, "(2, 3)", 1, 4, 2, 5, 3, 6)), descr + " Fortran order");
        }
        assertEquals(Mat.column(1, 2, 3), read(dir, "v.npy", npy("<f8", false, "(3,)", 1, 2, 3)), "1-d: a column vector");
        assertEquals(Mat.scalar(7), read(dir, "s.npy", npy("<f8", false, "()", 7)), "0-d: a scalar");
    }

    @Test
    void npyAndMatrixMarketAndCsvReadBackWhatIsWritten(@TempDir Path dir) throws Exception {
        Mat m = Mat.of(new double[][] {{0.1, -2e-300}, {Math.PI, 1e300}});
        for (String f : new String[] {"m.npy", "m.mtx", "m.csv"}) {
            DataFiles.write(dir.resolve(f), m);
            assertEquals(m, DataFiles.read("x", dir.resolve(f)), f);
        }
        DataFiles.write(dir.resolve("v.npy"), Mat.column(1, 2));
        assertEquals(Mat.column(1, 2), DataFiles.read("x", dir.resolve("v.npy")));
        byte[] bytes = DataFiles.npy(m);
        assertEquals(0, (bytes.length - 8 * 4) % 64, "the data start on a 64-byte boundary");
    }

    @Test
    void matrixMarketDenseAndCoordinate(@TempDir Path dir) throws Exception {
        Path dense = dir.resolve("d.mtx");
        Files.writeString(dense, "%%MatrixMarket matrix array real general\n% a comment\n2 3\n1\n4\n2\n5\n3\n6\n");
        assertEquals(A, DataFiles.read("X", dense));
        Path coo = dir.resolve("c.mtx");
        Files.writeString(coo, "%%MatrixMarket matrix coordinate real general\n2 3 3\n1 1 1.5\n2 2 -2\n1 3 4\n");
        assertEquals(Mat.of(new double[][] {{1.5, 0, 4}, {0, -2, 0}}), DataFiles.read("X", coo));
    }

    @Test
    void refusalsNameTheFileAndSayWhatIsExpected(@TempDir Path dir) throws Exception {
        MatcalcException dtype = assertThrows(MatcalcException.class, () -> read(dir, "i.npy", npy("<i8", false, "(2,)", 0, 0)));
        assertTrue(dtype.getMessage().contains("i.npy: dtype '<i8' is not supported; save float64 or float32"), dtype.getMessage());
        MatcalcException dims = assertThrows(MatcalcException.class, () -> read(dir, "t.npy", npy("<f8", false, "(1, 1, 2)", 0, 0)));
        assertTrue(dims.getMessage().contains("an array of 3 dimensions"), dims.getMessage());
        MatcalcException cut = assertThrows(MatcalcException.class, () -> read(dir, "cut.npy", java.util.Arrays.copyOf(npy("<f8", false, "(3,)", 1, 2, 3), 70)));
        assertTrue(cut.getMessage().contains("the file ends before its 3 entries"), cut.getMessage());
        MatcalcException notNpy = assertThrows(MatcalcException.class, () -> read(dir, "x.npy", "1,2,3\n".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(notNpy.getMessage().contains("x.npy: not a NumPy .npy file"), notNpy.getMessage());
        Path sym = dir.resolve("s.mtx");
        Files.writeString(sym, "%%MatrixMarket matrix coordinate real symmetric\n2 2 1\n1 1 1\n");
        assertTrue(assertThrows(MatcalcException.class, () -> DataFiles.read("S", sym)).getMessage().contains("symmetric storage is not read"));
        assertTrue(assertThrows(MatcalcException.class, () -> DataFiles.read("S", dir.resolve("none.npy"))).getMessage()
                .contains("no such file"));
    }

    @Test
    void csvSkipsAByteOrderMarkAndRefusesABadFirstRow(@TempDir Path dir) throws Exception {
        Path bom = dir.resolve("bom.csv");
        Files.writeString(bom, "\uFEFF1,2,3\n4,5,6\n");
        assertEquals(A, DataFiles.read("X", bom), "the first row is data, not a header");
        Path header = dir.resolve("h.csv");
        Files.writeString(header, "a,b,c\n1,2,3\n4,5,6\n");
        assertEquals(A, DataFiles.read("X", header), "a header of names is skipped");
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "1.2.3,2,3\n4,5,6\n");
        MatcalcException e = assertThrows(MatcalcException.class, () -> DataFiles.read("X", bad));
        assertTrue(e.getMessage().contains("bad.csv:1:1: '1.2.3' is not a number"), e.getMessage());
    }

    @Test
    void csvRefusalsNameTheLineAndColumn(@TempDir Path dir) throws Exception {
        String[][] refused = {
            {"mid.csv", "1,2,3\n4, x5 ,6\n", "mid.csv:2:4: 'x5' is not a number"},
            {"decimal.csv", "1.5\t\"2,5\"\n", "decimal.csv:1:5:"},
            {"european.csv", "1,5;2\n3;4,25\n", "european.csv:1:2: a line separated by ';' also holds ','"},
            {"inf.csv", "1 2 Infinity\n", "inf.csv:1:5: numbers must be finite"},
            {"ragged.csv", "1,2,3\n4,5\n", "ragged.csv:2: expected 3 values, got 2"},
        };
        for (String[] r : refused) {
            Path f = dir.resolve(r[0]);
            Files.writeString(f, r[1]);
            assertTrue(message(f).contains(r[2]), message(f));
        }
        Path latin = dir.resolve("latin.csv");
        Files.write(latin, new byte[] {'1', ',', (byte) 0xE9, '\n'});
        assertTrue(message(latin).contains("not UTF-8 text"), message(latin));
        Path trailing = dir.resolve("trailing.csv");
        Files.writeString(trailing, "1,2,3,\n4,5,6,\n");
        assertEquals(A, DataFiles.read("X", trailing), "a trailing separator ends the row");
    }

    @Test
    void aLargeCsvReportsItsProgressInTenths(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.csv");
        StringBuilder row = new StringBuilder();
        for (int k = 0; k < 100; k++) {
            row.append(k == 0 ? "" : ",").append("0.123456789");
        }
        row.append('\n');
        long rows = Progress.LARGE_BYTES / row.length() + 1;
        try (java.io.Writer w = Files.newBufferedWriter(big)) {
            for (long i = 0; i < rows; i++) {
                w.write(row.toString());
            }
        }
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Progress.reportTo(lines::add);
        try {
            Mat m = DataFiles.read("X", big);
            assertEquals(rows, m.rows());
        } finally {
            Progress.reportTo(null);
        }
        assertEquals(10, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("reading big\\.csv \\(\\d+ MB\\): 10%"), lines.get(0));
        assertTrue(lines.get(9).endsWith(": 100%"), lines.get(9));
    }

    private static String message(Path file) {
        return assertThrows(MatcalcException.class, () -> DataFiles.read("X", file)).getMessage();
    }
}
