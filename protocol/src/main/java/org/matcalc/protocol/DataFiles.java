package org.matcalc.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ejml.data.DMatrixRMaj;
import org.ejml.data.DMatrixSparseTriplet;
import org.ejml.ops.DConvertMatrixStruct;
import org.ejml.ops.MatrixIO;
import org.matcalc.expr.Limits;
import org.matcalc.expr.MatcalcException;
import org.matcalc.expr.MatcalcException.Kind;
import org.matcalc.numeric.Mat;

/**
 * Matrices from and to files, by extension: NumPy's {@code .npy} (float64 or float32, either
 * byte order, C or Fortran order, 0-, 1- or 2-dimensional; a 1-dimensional array is a column
 * vector), Matrix Market {@code .mtx} (dense "array" and sparse "coordinate", read by EJML's
 * {@link MatrixIO}), and otherwise CSV ({@link Values#readCsv}). Every refusal names the file and
 * says what was expected.
 */
public final class DataFiles {
    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private DataFiles() {
    }

    /** The matrix in {@code file}, read by its extension; {@code name} says what it is for in messages. */
    /** The largest data file read: well above the entry limit's worth of CSV text. */
    public static final long MAX_FILE_BYTES = 1L << 30;

    public static Mat read(String name, Path file) {
        String ext = extension(file);
        if (!Files.exists(file)) {
            throw bad(name, "no such file " + file);
        }
        if (!Files.isRegularFile(file)) {
            // a device or a pipe (/dev/zero) would be read without end
            throw bad(name, file + " is not a regular file");
        }
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw bad(name, file + " is " + size + " bytes; the limit on a data file is " + MAX_FILE_BYTES + " bytes (1 GiB)");
            }
        } catch (IOException e) {
            throw bad(name, "cannot read " + file + ": " + why(e));
        }
        return switch (ext) {
            case "npy" -> readNpy(name, file);
            case "mtx" -> readMatrixMarket(name, file);
            default -> Values.readCsv(name, file);
        };
    }

    /**
     * Refuses, before any work, an output file that cannot be written: a directory, a name under
     * a regular file, an empty name, a read-only place. {@code option} names the flag in the message.
     */
    public static void checkWritable(String option, Path file) {
        String name = file.toString();
        if (name.isBlank() || file.getFileName() == null) {
            throw new MatcalcException(Kind.REQUEST, option + ": an empty file name");
        }
        if (Files.isDirectory(file)) {
            throw new MatcalcException(Kind.REQUEST, option + ": cannot write " + file + ": it is a directory");
        }
        Path parent = file.toAbsolutePath().getParent();
        for (Path p = parent; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new MatcalcException(Kind.REQUEST, option + ": cannot write " + file + ": " + p + " is a file, not a directory");
                }
                if (!Files.isWritable(p)) {
                    throw new MatcalcException(Kind.REQUEST, option + ": cannot write " + file + ": " + p + " is not writable");
                }
                break;
            }
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new MatcalcException(Kind.REQUEST, option + ": cannot write " + file + ": it is read-only");
        }
    }

    /**
     * Writes {@code m} to {@code file} as its extension says: .npy (float64, C order; a column
     * vector 1-dimensional), .mtx or CSV. The bytes go to a temporary file beside it, renamed
     * over it when complete, so a failed write never leaves a half-written file; a failure is a
     * refusal that names the file and says why.
     */
    public static void write(Path file, Mat m) {
        checkWritable("--out", file);
        Path parent = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempFile(parent, "." + file.getFileName(), ".part");
            switch (extension(file)) {
                case "npy" -> Files.write(tmp, npy(m));
                case "mtx" -> {
                    try (var w = Files.newBufferedWriter(tmp)) {
                        MatrixIO.saveMatrixMarket(m.toDDRM(), "%.17g", w);
                    }
                }
                default -> {
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < m.rows(); i++) {
                        for (int j = 0; j < m.cols(); j++) {
                            b.append(j == 0 ? "" : ",").append(m.get(i, j));
                        }
                        b.append('\n');
                    }
                    Files.writeString(tmp, b);
                }
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the refusal below says what failed
                }
            }
            throw new MatcalcException(Kind.REQUEST, "--out: cannot write " + file + ": " + why(e));
        }
    }

    /** An I/O failure in words: "permission denied", "no space left on device", ... */
    static String why(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such directory";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(Locale.ROOT);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String extension(Path file) {
        String f = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot < 0 ? "" : f.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    // ---- NumPy .npy (format versions 1.0, 2.0, 3.0: numpy.lib.format) ----

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    static Mat readNpy(String name, Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > 16L * Limits.MAX_ENTRIES + 65_536) {
                throw bad(name, file + " is " + size + " bytes, more than " + Limits.MAX_ENTRIES + " float64 entries");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw bad(name, "cannot read " + file + ": " + e.getMessage());
        }
        return parseNpy(name + ": " + file, bytes);
    }

    /** A matrix from the bytes of a .npy file; {@code where} prefixes the messages. */
    static Mat parseNpy(String where, byte[] b) {
        if (b.length < 10 || !java.util.Arrays.equals(java.util.Arrays.copyOf(b, 6), NPY_MAGIC)) {
            throw new MatcalcException(Kind.REQUEST, where + ": not a NumPy .npy file (it does not start with \\x93NUMPY)");
        }
        int major = b[6];
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength, start;
        if (major == 1) {
            headerLength = le.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            headerLength = le.getInt(8);
            start = 12;
        } else {
            throw new MatcalcException(Kind.REQUEST, where + ": .npy format version " + major + " is not supported (1, 2 and 3 are)");
        }
        if (headerLength < 0 || start + headerLength > b.length) {
            throw new MatcalcException(Kind.REQUEST, where + ": the .npy header runs past the end of the file");
        }
        String header = new String(b, start, headerLength, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, where, "'descr'");
        boolean fortran = group(FORTRAN, header, where, "'fortran_order'").equals("True");
        String[] dims = group(SHAPE, header, where, "'shape'").split("\\s*,\\s*");
        int rows = 1, cols = 1, ndim = 0;
        for (String d : dims) {
            if (d.isBlank()) {
                continue;
            }
            long n;
            try {
                n = Long.parseLong(d.trim());
            } catch (NumberFormatException e) {
                throw new MatcalcException(Kind.REQUEST, where + ": malformed shape in the .npy header: " + header.trim());
            }
            if (n < 1 || n > Limits.MAX_DIMENSION) {
                throw new MatcalcException(Kind.REQUEST, where + ": a dimension of " + n + " is outside 1.." + Limits.MAX_DIMENSION);
            }
            if (ndim == 0) {
                rows = (int) n;
            } else {
                cols = (int) n;
            }
            ndim++;
        }
        if (ndim > 2) {
            throw new MatcalcException(Kind.REQUEST, where + ": an array of " + ndim + " dimensions; matcalc reads 0, 1 or 2 (a scalar, a vector, a matrix)");
        }
        if ((long) rows * cols > Limits.MAX_ENTRIES) {
            throw new MatcalcException(Kind.REQUEST, where + ": " + rows + " x " + cols + " entries exceed the limit of " + Limits.MAX_ENTRIES);
        }
        ByteOrder order;
        int width;
        switch (descr) {
            case "<f8", "=f8" -> { order = ByteOrder.LITTLE_ENDIAN; width = 8; }
            case ">f8" -> { order = ByteOrder.BIG_ENDIAN; width = 8; }
            case "<f4", "=f4" -> { order = ByteOrder.LITTLE_ENDIAN; width = 4; }
            case ">f4" -> { order = ByteOrder.BIG_ENDIAN; width = 4; }
            default -> throw new MatcalcException(Kind.REQUEST, where + ": dtype '" + descr + "' is not supported;"
                    + " save float64 or float32, e.g. np.save(f, a.astype(np.float64))");
        }
        int n = rows * cols;
        int data = start + headerLength;
        if ((long) data + (long) n * width > b.length) {
            throw new MatcalcException(Kind.REQUEST, where + ": the file ends before its " + n + " entries of " + width + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(b, data, n * width).order(order);
        double[] rowMajor = new double[n];
        for (int k = 0; k < n; k++) {
            double v = width == 8 ? in.getDouble() : in.getFloat();
            if (!Double.isFinite(v)) {
                throw new MatcalcException(Kind.REQUEST, where + ": entry " + k + " is " + v + "; numbers must be finite");
            }
            // Fortran order stores columns one after another: entry k is (k % rows, k / rows)
            int at = fortran ? (k % rows) * cols + k / rows : k;
            rowMajor[at] = v;
        }
        return Mat.rowMajor(rows, cols, rowMajor);
    }

    private static String group(Pattern p, String header, String where, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new MatcalcException(Kind.REQUEST, where + ": the .npy header has no " + key + ": " + header.trim());
        }
        return m.group(1);
    }

    /** The .npy bytes of m: version 1.0, little-endian float64, C order; a column vector as a 1-dimensional array. */
    static byte[] npy(Mat m) {
        String shape = m.cols() == 1 ? "(" + m.rows() + ",)" : "(" + m.rows() + ", " + m.cols() + ")";
        StringBuilder h = new StringBuilder("{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }");
        // the data start at a multiple of 64 bytes, the header ends in a newline
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        ByteBuffer out = ByteBuffer.allocate(10 + h.length() + 8 * m.size()).order(ByteOrder.LITTLE_ENDIAN);
        out.put(NPY_MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length());
        out.put(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                out.putDouble(m.get(i, j));
            }
        }
        return out.array();
    }

    // ---- Matrix Market (EJML's reader) ----

    static Mat readMatrixMarket(String name, Path file) {
        String banner;
        try (InputStream in = Files.newInputStream(file)) {
            banner = new String(in.readNBytes(200), StandardCharsets.US_ASCII).lines().findFirst().orElse("");
        } catch (IOException e) {
            throw bad(name, "cannot read " + file + ": " + e.getMessage());
        }
        String b = banner.toLowerCase(Locale.ROOT);
        if (!b.startsWith("%%matrixmarket matrix")) {
            throw bad(name, file + ": not a Matrix Market file (its first line is not '%%MatrixMarket matrix ...')");
        }
        if (!b.contains(" real") && !b.contains(" integer")) {
            throw bad(name, file + ": only real and integer Matrix Market files are read, not '" + banner.trim() + "'");
        }
        if (b.contains("symmetric") || b.contains("hermitian") || b.contains("skew")) {
            throw bad(name, file + ": symmetric storage is not read; write the full matrix ('general')");
        }
        try (Reader r = Files.newBufferedReader(file)) {
            DMatrixRMaj dense;
            if (b.contains(" coordinate")) {
                DMatrixSparseTriplet t = MatrixIO.loadMatrixMarketDSTR(r);
                dense = DConvertMatrixStruct.convert(t, (DMatrixRMaj) null);
            } else {
                dense = MatrixIO.loadMatrixMarketDDRM(r);
            }
            Mat m = Mat.wrap(dense);
            if (m.firstNonFinite() >= 0) {
                throw bad(name, file + ": numbers must be finite");
            }
            return m.cols() == 1 ? Mat.column(m.toRowMajor()) : m;
        } catch (IOException | RuntimeException e) {
            if (e instanceof MatcalcException me) {
                throw me;
            }
            throw bad(name, file + ": malformed Matrix Market file: " + e.getMessage());
        }
    }

    private static MatcalcException bad(String where, String message) {
        return new MatcalcException(Kind.REQUEST, where + ": " + message);
    }
}
