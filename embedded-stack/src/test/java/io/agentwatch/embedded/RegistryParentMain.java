package io.agentwatch.embedded;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** A JVM that starts a registry and waits forever, for {@link ApicurioRegistryIT} to kill with SIGKILL. */
public final class RegistryParentMain {
    private RegistryParentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ApicurioRegistry registry = ApicurioRegistry.start(RegistrySettings.persistent(0, Path.of(args[0])));
        System.out.println("READY " + registry.pid());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
