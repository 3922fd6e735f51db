package org.matcalc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in headless Chromium (Debian's chromium and chromium-driver), driven by Selenium
 * against the real server on a free loopback port. The answers the page shows are compared with
 * what /api/derive says for the same request, so the test checks the page, not the engine.
 *
 * <p>Without a browser the tests are skipped, unless MATCALC_REQUIRE_BROWSER=1 (CI) makes that a
 * failure. The screenshot goes to target/web.png; with -Dmatcalc.screenshot=docs also to
 * docs/img/web.png, so ordinary runs leave the tree alone.
 */
class BrowserTest {

    private static final Path CHROMIUM = Path.of(System.getProperty("matcalc.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("matcalc.chromedriver", "/usr/bin/chromedriver"));
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Selenium warns that it has no DevTools bindings for this Chromium; they are not used. Held
     * in a field: java.util.logging keeps loggers weakly, and a collected one forgets its level.
     */
    private static final java.util.logging.Logger DEVTOOLS_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");

    private static MatcalcServer server;
    private static String base;
    private static Path profile;
    private static String skipReason;
    private static ChromeDriver driver;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        skipReason = missingBrowser();
        if (skipReason != null) {
            System.err.println("BrowserTest: " + skipReason);
            return;
        }
        DEVTOOLS_LOG.setLevel(java.util.logging.Level.OFF);
        server = MatcalcServer.start(ServerOptions.defaults().withPort(0));
        base = "http://127.0.0.1:" + server.port();

        profile = Files.createTempDirectory("matcalc-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check", "--user-data-dir=" + profile,
                "--window-size=1280,1000", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 1000));
    }

    /**
     * Why the browser tests cannot run here, or null. With MATCALC_REQUIRE_BROWSER=1 (CI) a
     * missing browser is a failure instead.
     */
    private static String missingBrowser() {
        String missing = null;
        if (!Files.isExecutable(CHROMIUM)) {
            missing = CHROMIUM + " not found (apt-get install chromium)";
        } else if (!Files.isExecutable(CHROMEDRIVER)) {
            missing = CHROMEDRIVER + " not found (apt-get install chromium-driver)";
        }
        if (missing != null && "1".equals(System.getenv("MATCALC_REQUIRE_BROWSER"))) {
            Assertions.fail("browser tests required (MATCALC_REQUIRE_BROWSER=1) but " + missing);
        }
        return missing == null ? null : "browser tests skipped: " + missing;
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (profile != null) {
                try (Stream<Path> files = Files.walk(profile)) {
                    files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        }
    }

    @BeforeEach
    void openPage() {
        Assumptions.assumeTrue(skipReason == null, skipReason);
        driver.get(base + "/");
        // The page starts with the first example differentiated.
        waitFor(() -> driver.findElement(By.id("result")).isDisplayed());
    }

    @Test
    void typedExpressionShowsTheRenderedGradientStepsAndCheck() throws Exception {
        type("tr(X'*A*X)");
        JsonNode expected = deriveByApi("tr(X'*A*X)", "X", "mixed", Map.of());
        waitForText("result-text", expected.get("derivative").asText());

        WebElement math = driver.findElement(By.cssSelector("#result-math .katex"));
        String shown = math.findElement(By.className("katex-html")).getAttribute("textContent");
        assertTrue(shown.contains("∂") && shown.contains("A") && shown.contains("X"), shown);
        // KaTeX keeps the source in its MathML annotation: the server's LaTeX was the one rendered.
        String source = math.findElement(By.tagName("annotation")).getAttribute("textContent");
        assertTrue(source.contains(expected.get("latex").asText()), source);

        assertEquals("mixed", new Select(driver.findElement(By.id("layout"))).getFirstSelectedOption().getAttribute("value"));
        assertEquals("X", new Select(driver.findElement(By.id("wrt"))).getFirstSelectedOption().getAttribute("value"));
        String check = driver.findElement(By.id("check")).getText();
        assertTrue(check.matches("(?s)✓ verified numerically: relative error \\S+ at random inputs.*"), check);
        assertFalse(driver.findElements(By.cssSelector("#steps .katex")).isEmpty(), "steps are rendered");
        assertTrue(driver.findElement(By.id("result-shape")).getText().contains(expected.get("shape").asText()));
    }

    @Test
    void changingTheLayoutChangesTheResultAndTheCopiedText() throws Exception {
        type("tr(A*X*B)");
        choose("wrt", "X");
        String mixed = deriveByApi("tr(A*X*B)", "X", "mixed", Map.of()).get("derivative").asText();
        String numerator = deriveByApi("tr(A*X*B)", "X", "numerator", Map.of()).get("derivative").asText();
        assertNotEquals(mixed, numerator);
        waitForText("result-text", mixed);
        assertEquals(mixed, copied("copy-text"));

        choose("layout", "numerator");
        waitForText("result-text", numerator);
        assertEquals(numerator, copied("copy-text"));
        String latex = deriveByApi("tr(A*X*B)", "X", "numerator", Map.of()).get("latex").asText();
        assertEquals(latex, copied("copy-latex"));
        // The address now reproduces the result.
        assertTrue(driver.getCurrentUrl().contains("layout=numerator"), driver.getCurrentUrl());
    }

    @Test
    void theCodePanelShowsCopiesAndSwitchesTheGeneratedCode() throws Exception {
        type("norm2(X*w - y)^2");
        choose("wrt", "w");
        String expected = deriveByApi("norm2(X*w - y)^2", "w", "mixed", Map.of()).get("derivative").asText();
        waitForText("result-text", expected);
        driver.findElement(By.cssSelector("#code-box summary")).click();
        String numpy = post("/api/derive", Map.of("expression", "norm2(X*w - y)^2", "wrt", "w", "layout", "mixed", "order", 1,
                "variables", Map.of(), "code", "numpy")).get("code").asText();
        waitFor(() -> numpy.equals(driver.findElement(By.id("code-text")).getAttribute("textContent")));
        assertTrue(numpy.contains("def f_and_g(X, w, y):"), numpy);
        assertEquals(numpy.strip(), copied("copy-code").strip());

        choose("code-lang", "java");
        waitFor(() -> driver.findElement(By.id("code-text")).getAttribute("textContent").contains("public final class Generated"));
        // a new result brings new code while the panel is open
        type("norm2(X*w - y)^2 + norm2(w)^2");
        waitFor(() -> driver.findElement(By.id("code-text")).getAttribute("textContent").contains("norm2(X*w - y)^2 + norm2(w)^2"));
    }

    @Test
    void copyFallsBackToTheSelectionWithoutTheClipboardApi() throws Exception {
        // As on a plain-http host other than localhost, where navigator.clipboard is missing.
        ((JavascriptExecutor) driver).executeScript(
                "Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true});");
        type("norm2(x)");
        String expected = deriveByApi("norm2(x)", "x", "mixed", Map.of()).get("derivative").asText();
        waitForText("result-text", expected);
        assertEquals(expected, copied("copy-text"));
    }

    @Test
    void shapeErrorShowsMessageAndCaretAndClearsWhenFixed() {
        type("x*y");
        waitFor(() -> driver.findElement(By.id("error")).isDisplayed());
        assertTrue(driver.findElement(By.id("error-message")).getText().contains("cannot multiply"),
                driver.findElement(By.id("error-message")).getText());
        assertEquals("x*y\n ^", driver.findElement(By.id("caret")).getAttribute("textContent"));
        assertEquals("true", driver.findElement(By.id("expr")).getAttribute("aria-invalid"));

        type("x'*y");
        waitFor(() -> !driver.findElement(By.id("error")).isDisplayed());
        waitForText("result-text", deriveByApiQuietly("x'*y", "x"));
    }

    @Test
    void syntaxErrorPointsIntoTheExpression() throws Exception {
        type("tr(X'");
        waitFor(() -> driver.findElement(By.id("error")).isDisplayed());
        JsonNode error = parseByApi("tr(X'").get("error");
        String caret = driver.findElement(By.id("caret")).getAttribute("textContent");
        int column = error.get("column").asInt();
        assertEquals("tr(X'\n" + " ".repeat(column - 1) + "^", caret);
        String message = driver.findElement(By.id("error-message")).getText();
        assertTrue(message.contains(error.get("message").asText().replaceFirst("^\\d+:\\d+:\\s*", "")), message);
    }

    @Test
    void declaringAVariableFeedsTheRequest() throws Exception {
        type("x'*A*x");
        waitForText("result-text", deriveByApi("x'*A*x", "x", "mixed", Map.of()).get("derivative").asText());
        choose("kind-A", "symmetric");
        String symmetric = deriveByApi("x'*A*x", "x", "mixed", Map.of("A", "symmetric(n)")).get("derivative").asText();
        waitForText("result-text", symmetric);
        assertEquals("declared", driver.findElement(By.cssSelector("tr[data-name='A'] .badge")).getText());

        WebElement size = driver.findElement(By.id("size-A-1"));
        size.sendKeys(Keys.chord(Keys.CONTROL, "a"), "k");
        // x is as long as A is wide: its inferred size follows.
        waitFor(() -> "k".equals(driver.findElement(By.id("size-x-1")).getAttribute("value")));
        // The address is built from the request sent: the declaration went with it.
        waitFor(() -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(
                "return new URLSearchParams(location.search).getAll('decl').includes('A:symmetric(k)');")));
    }

    @Test
    void hessianIsOfferedForScalarExpressionsOnly() throws Exception {
        type("x'*A*x");
        waitForText("result-text", deriveByApi("x'*A*x", "x", "mixed", Map.of()).get("derivative").asText());
        choose("order", "2");
        waitForText("result-text", deriveByApi("x'*A*x", "x", "mixed", Map.of(), 2).get("derivative").asText());
        String math = driver.findElement(By.cssSelector("#result-math annotation")).getAttribute("textContent");
        assertTrue(math.contains("\\partial^{2}"), math);

        type("A*x");
        waitFor(() -> !driver.findElement(By.cssSelector("#order option[value='2']")).isEnabled());
        assertEquals("1", new Select(driver.findElement(By.id("order"))).getFirstSelectedOption().getAttribute("value"));
        waitForText("result-text", deriveByApi("A*x", "x", "mixed", Map.of()).get("derivative").asText());
    }

    @Test
    void galleryExampleFillsTheFormAndDerives() throws Exception {
        WebElement example = driver.findElement(By.id("example-gaussian"));
        example.click();
        waitFor(() -> "logdet(S) + tr(inv(S)*C)".equals(driver.findElement(By.id("expr")).getAttribute("value")));
        JsonNode expected = deriveByApi("logdet(S) + tr(inv(S)*C)", "S", "mixed",
                Map.of("S", "spd(n)", "C", "symmetric(n)"));
        waitForText("result-text", expected.get("derivative").asText());
        assertEquals("spd", new Select(driver.findElement(By.id("kind-S"))).getFirstSelectedOption().getAttribute("value"));
        assertTrue(driver.findElement(By.id("result-convention")).getText().contains("symmetric"));
        assertTrue(driver.findElement(By.id("check")).getText().startsWith("✓ verified numerically"));
    }

    @Test
    void everyGalleryExampleDerivesWithAPassingCheck() {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        int count = driver.findElements(By.cssSelector("#gallery button.example")).size();
        assertTrue(count >= 10, "gallery has " + count + " examples");
        for (int i = 0; i < count; i++) {
            WebElement example = driver.findElements(By.cssSelector("#gallery button.example")).get(i);
            String id = example.getAttribute("id");
            example.click();
            // The address is updated once the example's own result is shown.
            waitFor(() -> Boolean.TRUE.equals(js.executeScript(
                    "const b = document.getElementById(arguments[0]), p = new URLSearchParams(location.search);"
                    + "return p.get('expr') === b.dataset.expr && p.get('wrt') === b.dataset.wrt"
                    + " && (p.get('order') || '1') === b.dataset.order"
                    + " && !document.getElementById('result').classList.contains('stale');", id))
                    || driver.findElement(By.id("error")).isDisplayed()
                    || driver.findElement(By.id("derive-error")).isDisplayed());
            assertFalse(driver.findElement(By.id("error")).isDisplayed(), id + ": " + driver.findElement(By.id("error")).getText());
            assertFalse(driver.findElement(By.id("derive-error")).isDisplayed(), id + ": " + driver.findElement(By.id("derive-error")).getText());
            assertEquals(example.getAttribute("data-expr"), driver.findElement(By.id("expr")).getAttribute("value"));
            assertTrue(driver.findElement(By.id("check")).getText().startsWith("✓ verified numerically"),
                    id + ": " + driver.findElement(By.id("check")).getText());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everythingComesFromTheServerWithoutErrors() {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        // KaTeX loads its fonts on first use; wait until they have arrived.
        js.executeAsyncScript("document.fonts.ready.then(() => arguments[arguments.length - 1]());");
        List<Map<String, Object>> resources = (List<Map<String, Object>>) js.executeScript(
                "return performance.getEntriesByType('resource')"
                + ".map(e => ({name: e.name, status: e.responseStatus || 0}));");
        assertTrue(resources.stream().anyMatch(r -> r.get("name").toString().contains("/webjars/katex/")), resources.toString());
        assertTrue(resources.stream().anyMatch(r -> r.get("name").toString().contains("/fonts/KaTeX_")), resources.toString());
        for (Map<String, Object> r : resources) {
            String name = r.get("name").toString();
            assertTrue(name.startsWith(base + "/"), "loaded from elsewhere: " + name);
            long status = ((Number) r.get("status")).longValue();
            assertTrue(status == 0 || status == 200 || status == 304, name + " answered " + status);
        }
    }

    @Test
    void ruleLabelsReadAsTheRulesAreWritten() {
        driver.findElement(By.id("example-least-squares")).click();
        waitFor(() -> !driver.findElements(By.cssSelector("#steps .step-rule")).isEmpty());
        String rules = String.join("\n", driver.findElements(By.cssSelector("#steps .step-rule")).stream()
                .map(e -> e.getAttribute("textContent")).toList());
        // the server escapes ^ for LaTeX's text mode; the label shows the caret, not the escape
        assertTrue(rules.contains("d norm2(A)^2 = 2*tr(A'*dA)"), rules);
        assertFalse(rules.contains("textasciicircum") || rules.contains("{}"), rules);
    }

    @Test
    void screenshot() throws Exception {
        viewport(1280, 1500);
        driver.findElement(By.id("example-least-squares")).click();
        String expected = deriveByApi("norm2(X*w - y)^2", "w", "mixed", Map.of()).get("derivative").asText();
        waitForText("result-text", expected);
        waitFor(() -> !driver.findElements(By.cssSelector("#steps .katex")).isEmpty());
        // the code panel open, as a user who came for the code sees it
        driver.findElement(By.cssSelector("#code-box summary")).click();
        waitFor(() -> driver.findElement(By.id("code-text")).getAttribute("textContent").contains("def f_and_g("));
        ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0); document.activeElement.blur();");
        Thread.sleep(300); // the smooth scroll and the fonts settle
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of("target", "web.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        if ("docs".equals(System.getProperty("matcalc.screenshot"))) {
            Path docs = Path.of("..", "docs", "img", "web.png");
            Files.createDirectories(docs.getParent());
            Files.copy(shot, docs, StandardCopyOption.REPLACE_EXISTING);
        }
        assertTrue(Files.size(target) > 10_000, "screenshot written");
    }

    // ---- helpers --------------------------------------------------------------------------

    /** Replaces the expression as a user would: select all, type. */
    private static void type(String text) {
        WebElement expr = driver.findElement(By.id("expr"));
        expr.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        expr.sendKeys(text);
    }

    /** Sizes the window so that the page itself gets width x height pixels. */
    private static void viewport(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        JavascriptExecutor js = (JavascriptExecutor) driver;
        long innerWidth = (Long) js.executeScript("return window.innerWidth;");
        long innerHeight = (Long) js.executeScript("return window.innerHeight;");
        driver.manage().window().setSize(new Dimension(2 * width - (int) innerWidth, 2 * height - (int) innerHeight));
    }

    /** Chooses an option once it exists (the variables arrive with the parse, after typing). */
    private static void choose(String selectId, String value) {
        waitFor(() -> !driver.findElements(By.cssSelector("#" + selectId + " option[value='" + value + "']")).isEmpty());
        new Select(driver.findElement(By.id(selectId))).selectByValue(value);
    }

    /** Clicks a copy button and pastes the clipboard into a scratch field: the text really copied. */
    private static String copied(String button) {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        driver.findElement(By.id(button)).click();
        waitFor(() -> driver.findElement(By.id("copy-status")).getText().startsWith("Copied"));
        js.executeScript("let t = document.getElementById('paste-probe');"
                + "if (!t) { t = document.createElement('textarea'); t.id = 'paste-probe'; document.body.append(t); }"
                + "t.value = ''; t.focus();");
        WebElement probe = driver.findElement(By.id("paste-probe"));
        probe.sendKeys(Keys.chord(Keys.CONTROL, "v"));
        String text = probe.getAttribute("value");
        js.executeScript("document.getElementById('paste-probe').remove();");
        return text;
    }

    private static void waitForText(String id, String expected) {
        try {
            new WebDriverWait(driver, WAIT).until(d -> expected.equals(d.findElement(By.id(id)).getText()));
        } catch (org.openqa.selenium.TimeoutException e) {
            assertEquals(expected, driver.findElement(By.id(id)).getText(), "#" + id + " after " + WAIT);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(driver, WAIT).until(d -> condition.getAsBoolean());
    }

    private static JsonNode deriveByApi(String expression, String wrt, String layout, Map<String, String> variables)
            throws IOException, InterruptedException {
        return deriveByApi(expression, wrt, layout, variables, 1);
    }

    private static JsonNode deriveByApi(String expression, String wrt, String layout, Map<String, String> variables,
            int order) throws IOException, InterruptedException {
        Map<String, Object> body = Map.of("expression", expression, "wrt", wrt, "layout", layout,
                "order", order, "variables", variables);
        JsonNode answer = post("/api/derive", body);
        assertTrue(answer.has("derivative"), answer.toString());
        return answer;
    }

    private static String deriveByApiQuietly(String expression, String wrt) {
        try {
            return deriveByApi(expression, wrt, "mixed", Map.of()).get("derivative").asText();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode parseByApi(String expression) throws IOException, InterruptedException {
        return post("/api/parse", Map.of("expression", expression, "variables", Map.of()));
    }

    private static JsonNode post(String path, Object body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }
}
