package workshop.room;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The board's page in a real browser (headless Chromium through chromedriver): gradings appear
 * in the grid as they arrive, without a reload. Skipped, with a message, where Chromium or
 * chromedriver is not installed (Debian: apt-get install chromium chromium-driver).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BoardInBrowserTest {

    private static final Path CHROMIUM = Path.of(System.getProperty("workshop.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("workshop.chromedriver", "/usr/bin/chromedriver"));
    private static final Duration WAIT = Duration.ofSeconds(20);

    private RoomBoard board;
    private BoardServer server;
    private WebDriver browser;

    @BeforeAll
    void openTheBoard() throws Exception {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed) {
            System.out.println("    [room] SKIPPED the board in a browser: no " + CHROMIUM + " or " + CHROMEDRIVER
                    + " (Debian: apt-get install chromium chromium-driver)");
        }
        Assumptions.assumeTrue(installed, "Chromium and chromedriver are not installed: " + CHROMIUM + ", " + CHROMEDRIVER);
        board = new RoomBoard(List.of(new RoomBoard.Column("log1", "Append ratings", "The log"),
                new RoomBoard.Column("log2", "Read the log", "The log"), new RoomBoard.Column("topics1", "Create topics", "Topics")));
        server = BoardServer.start(board, "localhost", 0);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--window-size=1400,700", "--user-data-dir=" + workshop.TemporaryFolders.create("board-chromium-"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
        browser.get("http://localhost:" + server.port() + "/");
    }

    @AfterAll
    void close() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void gradingsAppearInTheGridAsTheyArrive() throws Exception {
        waitFor(() -> browser.findElement(By.id("live")).getText().equals("live"), "the page connects to the event stream");
        assertTrue(browser.findElement(By.id("empty")).isDisplayed(), "an empty room says it waits");

        long now = System.currentTimeMillis();
        board.add(new ProgressEvent("alice", "log1", true, null, 0, now - 600_000, 800, false));
        board.add(new ProgressEvent("alice", "log2", false, "a new reader starts at the beginning", 1, now - 420_000, 1200, false));
        board.add(new ProgressEvent("bob", "log1", false, "records sit at consecutive offsets", 2, now - 780_000, 900, false));
        server.changed();

        waitFor(() -> state("alice", "log2").equals("failing"), "alice's failing log2 shows up without a reload");
        assertEquals("passed", state("alice", "log1"));
        assertEquals("none", state("alice", "topics1"));
        assertEquals("failing", state("bob", "log1"));
        String stuck = browser.findElement(By.id("stuck")).getText();
        assertTrue(stuck.indexOf("bob · log1") < stuck.indexOf("alice · log2") && stuck.contains("13 min"),
                "longest stuck first, with how long: " + stuck);

        board.add(new ProgressEvent("bob", "log1", true, null, 2, System.currentTimeMillis(), 900, false));
        server.changed();
        waitFor(() -> state("bob", "log1").equals("passed"), "bob's pass replaces his failure");

        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Path screenshot = Path.of("target", "room-board.png");
        Files.createDirectories(screenshot.getParent());
        Files.write(screenshot, png);
        System.out.println("    [room] screenshot of the board: " + screenshot.toAbsolutePath());
    }

    private String state(String learner, String exercise) {
        List<WebElement> chips = browser.findElements(By.cssSelector(
                "tr[data-learner='" + learner + "'] td[data-exercise='" + exercise + "'] .chip"));
        return chips.isEmpty() ? "" : chips.get(0).getAttribute("data-state");
    }

    private void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                // the grid was redrawn under us: look again
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Not within " + WAIT.toSeconds() + " s: " + what);
    }
}
