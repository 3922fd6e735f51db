package org.matcalc.protocol;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Progress lines for long reads: a data file of {@link #LARGE_BYTES} or more reports each tenth
 * read ("reading X.csv (200 MB): 40%") to the listener the command line installs (its stderr);
 * smaller files, and programs that install none, read silently.
 */
public final class Progress {
    /** Files at least this large report their progress. */
    public static final long LARGE_BYTES = 32L << 20;

    private static volatile Consumer<String> listener = line -> { };

    private Progress() {
    }

    /** Where progress lines go (the CLI passes {@code System.err::println}). */
    public static void reportTo(Consumer<String> to) {
        listener = to == null ? line -> { } : to;
    }

    static void report(String line) {
        listener.accept(line);
    }

    /** Counts the bytes read from a file of known size and reports each tenth when it is large. */
    static final class Counting extends FilterInputStream {
        private final Path file;
        private final long size;
        private long read;
        private int tenths;

        Counting(InputStream in, Path file, long size) {
            super(in);
            this.file = file;
            this.size = size;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                advance(n);
            }
            return n;
        }

        private void advance(int n) {
            read += n;
            if (size < LARGE_BYTES) {
                return;
            }
            int now = (int) Math.min(10, read * 10 / size);
            if (now > tenths) {
                tenths = now;
                report(String.format(Locale.ROOT, "reading %s (%.0f MB): %d%%", file.getFileName(), size / 1e6, now * 10));
            }
        }
    }
}
