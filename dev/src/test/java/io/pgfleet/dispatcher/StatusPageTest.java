package io.pgfleet.dispatcher;

import static io.pgfleet.dispatcher.TestFleet.READER;
import static io.pgfleet.dispatcher.TestFleet.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.dispatcher.ApiClient.Answer;
import io.pgfleet.testing.SettableClock;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in a real headless Chromium (Debian's, driven by Selenium) against a running
 * dispatcher and worker that share a clock the test moves: backup freshness, the last
 * check-integrity run's outcome, a target's runs and a run's events.
 */
class StatusPageTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @Test
  void a_target_turns_red_past_its_rpo_and_green_after_a_backup_without_a_reload(
      @TempDir Path profile) throws Exception {
    assertThat(CHROMIUM).as("apt-get install chromium chromium-driver").exists();
    assertThat(CHROMEDRIVER).as("apt-get install chromium chromium-driver").exists();
    try (TestFleet fleet = new TestFleet("order_db", "payment_db", "warehouse_db")) {
      SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
      FleetWorkers.start(fleet, "worker-a", clock);
      Dispatcher dispatcher =
          fleet.startDispatcher(
              fleet.dispatcherConfig("dispatcher-a", Duration.ofHours(6), List.of()), clock);
      ApiClient api = new ApiClient(dispatcher.uri());
      String orders = fleet.target("order_db");
      backup(api, orders);
      backup(api, fleet.target("payment_db"));
      var orderDb = fleet.databases.get("order_db");
      fleet
          .stack
          .postgres()
          .execute(
              orderDb.name(),
              "CREATE EXTENSION amcheck; GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO "
                  + orderDb.owner());
      submit(api, "check-integrity", orders);

      WebDriver browser = chromium(profile);
      try {
        browser.get(dispatcher.uri() + "#token=" + READER);
        String backupCell = "tr[data-target='" + orders + "'] td.backup";
        awaitStatus(browser, backupCell, "green");
        ((JavascriptExecutor) browser).executeScript("window.loadedOnce = 'yes'");
        // ok, or unknown where data checksums are off (the local stack's)
        String integrityCell = "tr[data-target='" + orders + "'] td.integrity";
        wait(browser)
            .withMessage(() -> integrityCell + " should show a clean check")
            .until(
                b ->
                    text(b, integrityCell).startsWith("0 corrupt relations")
                        && text(b, integrityCell).contains("checked ")
                        && List.of("ok", "unknown")
                            .contains(
                                b.findElement(By.cssSelector(integrityCell))
                                    .getAttribute("data-integrity")));
        wait(browser)
            .until(
                b ->
                    text(b, "tr[data-target='" + fleet.target("warehouse_db") + "'] td.integrity")
                        .equals("never checked"));

        clock.advance(Duration.ofHours(27)); // RPO is 26 h
        awaitStatus(browser, backupCell, "red");
        assertThat(text(browser, backupCell)).startsWith("27 h");

        backup(api, orders);
        awaitStatus(browser, backupCell, "green");
        assertThat(((JavascriptExecutor) browser).executeScript("return window.loadedOnce"))
            .as("the page updated itself: no reload")
            .isEqualTo("yes");
        assertThat(
                browser
                    .findElement(
                        By.cssSelector(
                            "tr[data-target='" + fleet.target("payment_db") + "'] td.backup"))
                    .getAttribute("data-status"))
            .isEqualTo("red");
        assertThat(
                browser
                    .findElement(
                        By.cssSelector(
                            "tr[data-target='" + fleet.target("warehouse_db") + "'] td.backup"))
                    .getText())
            .isEqualTo("never");

        browser.findElement(By.cssSelector("tr[data-target='" + orders + "']")).click();
        wait(browser)
            .until(b -> !b.findElements(By.cssSelector("#run-list tr[data-run]")).isEmpty());
        browser.findElements(By.cssSelector("#run-list tr[data-run]")).get(0).click();
        wait(browser)
            .until(
                b ->
                    !b.findElements(By.cssSelector("#run-events tr[data-outcome='succeeded']"))
                        .isEmpty());
        assertThat(browser.findElements(By.cssSelector("#run-events tr[data-outcome='started']")))
            .hasSize(1);

        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(
            shot.toPath(), Path.of("target/status-page.png"), StandardCopyOption.REPLACE_EXISTING);
      } finally {
        browser.quit();
      }
    }
  }

  private static void backup(ApiClient api, String target) {
    submit(api, "backup", target);
  }

  /** Submits through the API and waits until the run succeeded. */
  private static void submit(ApiClient api, String operation, String target) {
    Answer sent =
        api.post(
            REQUESTER,
            "/api/v1/commands",
            "{\"operation\": \"" + operation + "\", \"target\": \"" + target + "\"}");
    assertThat(sent.status()).as(String.valueOf(sent.body())).isEqualTo(202);
    String id = sent.body().get("commandId").asText();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                api.get(READER, "/api/v1/runs/" + id)
                    .body()
                    .get("status")
                    .asText()
                    .equals("succeeded"));
  }

  private static WebDriver chromium(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + profile.toAbsolutePath(),
        "--window-size=1280,900");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    return new ChromeDriver(service, options);
  }

  private static WebDriverWait wait(WebDriver browser) {
    // The page re-renders its rows as results arrive: an element found a moment ago may be gone.
    return (WebDriverWait)
        new WebDriverWait(browser, Duration.ofSeconds(60))
            .ignoring(StaleElementReferenceException.class);
  }

  private static void awaitStatus(WebDriver browser, String css, String status) {
    wait(browser)
        .withMessage(() -> css + " should become " + status)
        .until(
            b ->
                b.findElements(By.cssSelector(css)).stream()
                    .anyMatch(e -> status.equals(e.getAttribute("data-status"))));
  }

  private static String text(WebDriver browser, String css) {
    return browser.findElement(By.cssSelector(css)).getText();
  }
}
