package org.matcalc.protocol;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;


/**
 * The CSV reader on arbitrary bytes, decoded as a file is (UTF-8, malformed input refused): a
 * matrix of finite numbers or a refusal naming the line and column.
 * Stored inputs: .../protocol/CsvFuzzTestInputs/csv.
 */
class CsvFuzzTest {
    @FuzzTest(maxDuration = "4h", maxExecutions = 10_000_000)
    void csv(byte[] input) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(input),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)));
        Fuzzing.refusedCleanly("", () -> {
            try {
                org.matcalc.numeric.Mat m = Values.parseCsv("fuzz", "fuzz.csv", in);
                if (m.firstNonFinite() >= 0 || m.size() == 0) {
                    throw new AssertionError("read a matrix with a non-finite entry or none: " + m);
                }
            } catch (java.nio.charset.CharacterCodingException e) {
                // not UTF-8: the file reader refuses it by name (DataFilesTest)
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
