package io.agentwatch.sink.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentwatch.schema.Alert;
import io.agentwatch.schema.Severity;
import io.agentwatch.sink.AlertSink;
import io.agentwatch.sink.testing.Alerts;
import io.agentwatch.testsupport.KafkaStack;
import io.agentwatch.testsupport.KafkaStackExtension;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The alert page in a real browser (Debian's headless Chromium, driven through Debian's chromedriver by Selenium):
 * a firing alert appears without a reload, the agent filter narrows the list, and the alert moves to resolved.
 * Screenshots: {@code target/alert-page-firing.png} (filtered, firing) and {@code target/alert-page.png} (after
 * the resolve).
 */
@ExtendWith(KafkaStackExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AlertPageBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dir;

    @Test
    void shouldShowAFiringAlertLiveFilterByAgentAndMoveItToResolved(KafkaStack stack) throws Exception {
        assertThat(CHROMIUM).as("apt-get install -y chromium chromium-driver (.ci/run installs them)").isExecutable();
        assertThat(CHROMEDRIVER).isExecutable();
        try (SinkFixture f = new SinkFixture(stack, dir, 3);
             AlertSink sink = f.sink("route: {receiver: log}\nreceivers: [{name: log, type: log}]\n", Map.of())) {
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--window-size=1280,900", "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .withLogFile(dir.resolve("chromedriver.log").toFile())
                    .build();
            ChromeDriver browser = new ChromeDriver(service, options);
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(100));
                browser.get(sink.baseUrl() + "/");
                wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
                ((JavascriptExecutor) browser).executeScript("window.__sameDocument = 'yes';");

                Alert cascade = Alerts.withLabel(Alerts.firing("cafe000000000001", "CascadeFailure", Severity.CRITICAL, null)
                        .setRootCauseAgentId("planner-7").setSummary("3 agents failed within 60s in trace 4bf92f35; root cause planner-7").build(),
                        "affected_agents", "coder-2,writer-1");
                Alert planner = Alerts.firing("beef000000000002", "AgentErrorRateHigh", Severity.CRITICAL, "planner-7").build();
                Alert coder = Alerts.withLabel(Alerts.firing("d00d000000000003", "AgentErrorRateHigh", Severity.ERROR, "coder-2")
                        .setSummary("AgentErrorRateHigh on coder-2: error rate 31% over 10m (threshold 5%)").setValue(0.31).build(),
                        "caused_by", "cafe000000000001");
                Alert writer = Alerts.firing("f00d000000000004", "AgentTokenDrift", Severity.WARNING, "writer-1")
                        .setSummary("AgentTokenDrift on writer-1: 2.1x baseline tokens per request").setValue(2.1).setThreshold(1.5).build();
                f.produce(cascade, planner, coder, writer);

                wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#firing [data-fingerprint='beef000000000002']")));
                wait.until(d -> d.findElements(By.cssSelector("#firing .alert")).size() == 4);
                assertThat(((JavascriptExecutor) browser).executeScript("return window.__sameDocument;")).as("no reload").isEqualTo("yes");

                browser.findElement(By.id("f-agent")).sendKeys("planner-7");
                wait.until(d -> d.findElements(By.cssSelector("#firing .alert")).size() == 2);
                List<String> shown = browser.findElements(By.cssSelector("#firing .alert")).stream().map(e -> e.getAttribute("data-fingerprint")).toList();
                assertThat(shown).containsExactlyInAnyOrder("cafe000000000001", "beef000000000002");
                assertThat(browser.findElement(By.cssSelector("#firing [data-fingerprint='cafe000000000001'] .cause")).getText())
                        .contains("root cause: planner-7");
                assertThat(browser.getCurrentUrl()).contains("agent=planner-7");
                save(browser, "alert-page-firing.png");

                f.produce(Alerts.resolvedOf(planner, Instant.parse("2026-11-22T10:25:00Z")));

                wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#resolved [data-fingerprint='beef000000000002']")));
                wait.until(d -> d.findElements(By.cssSelector("#firing [data-fingerprint='beef000000000002']")).isEmpty());
                assertThat(((JavascriptExecutor) browser).executeScript("return window.__sameDocument;")).isEqualTo("yes");
                assertThat(browser.findElements(By.cssSelector("#firing .alert"))).hasSize(1);
                save(browser, "alert-page.png");
            } finally {
                browser.quit();
            }
        }
    }

    private static void save(ChromeDriver browser, String name) throws Exception {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
