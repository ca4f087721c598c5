package io.agentwatch.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentwatchCliTest {
    @TempDir
    Path dataDir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = AgentwatchCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldListEverySubcommandInTheHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("up ", "demo ");
        assertThat(AgentwatchCli.commandLine().getSubcommands()).containsOnlyKeys("up", "demo");
    }

    @Test
    void shouldShowThePortAndDataDirectoryOptionsWithTheirDefaults() {
        assertThat(run("up", "--help")).isZero();
        assertThat(out.toString()).contains("--data-dir", "--kafka-port", "default: 9092", "--registry-port", "default: 8081");
        String dataDirDefault = AgentwatchCli.commandLine().getSubcommands().get("up").getCommandSpec().findOption("--data-dir").defaultValue();
        assertThat(dataDirDefault).endsWith("/.agentwatch/data");
    }

    @Test
    void shouldSayTheDemoIsNotFinished() {
        assertThat(run("demo", "--help")).isZero();
        assertThat(out.toString()).contains("NOT FINISHED YET");
    }

    @Test
    void shouldFailWithTheKafkaPortAndItsOptionWhenTheKafkaPortIsTaken() throws Exception {
        try (ServerSocket taken = bound()) {
            int exit = run("up", "--data-dir", dataDir.toString(), "--kafka-port", String.valueOf(taken.getLocalPort()), "--registry-port", "0");

            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).contains("port " + taken.getLocalPort(), "Kafka broker", "--kafka-port");
        }
    }

    @Test
    void shouldFailWithTheRegistryPortAndItsOptionWhenTheRegistryPortIsTaken() throws Exception {
        try (ServerSocket taken = bound()) {
            int exit = run("up", "--data-dir", dataDir.toString(), "--kafka-port", "0", "--registry-port", String.valueOf(taken.getLocalPort()));

            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).contains("port " + taken.getLocalPort(), "schema registry", "--registry-port");
        }
    }

    @Test
    void shouldRejectAPortOutOfRangeNamingTheValue() {
        int exit = run("up", "--data-dir", dataDir.toString(), "--kafka-port", "70000");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("70000");
    }

    private static ServerSocket bound() throws Exception {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        return socket;
    }
}
