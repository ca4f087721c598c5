package io.agentwatch.stack;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code agentwatch demo}: for now only the stack of {@code up}, with a plain statement of what the demo still
 * lacks. The processor, the alert sink and the simulator join it when their issues are done.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "The end-to-end demo. NOT FINISHED YET: only starts the stack of 'up'.",
        description = {
            "The end-to-end demo will run a simulated agent fleet with injected incidents, the processor raising "
                    + "alerts, and the alert page. NOT FINISHED YET: today it only starts the stack of 'agentwatch up' "
                    + "and says so."})
public final class DemoCommand implements Callable<Integer> {
    static final String NOT_BUILT_YET = String.join(System.lineSeparator(),
            "THE DEMO IS NOT FINISHED YET. Only the broker and the schema registry are running.",
            "Not built yet, so NOT running: the stream processor (no detectors, no alerts),",
            "the alert sink (no alert page, no Alertmanager/webhook delivery) and the fleet simulator (no events).",
            "Nothing is being produced or detected; the stack is up so you can try it by hand.");

    @Mixin
    StackOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        return new StackRunner(options, spec.commandLine().getOut(), spec.commandLine().getErr()).runUntilStopped(NOT_BUILT_YET);
    }
}
