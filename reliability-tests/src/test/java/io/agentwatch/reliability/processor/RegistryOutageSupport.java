package io.agentwatch.reliability.processor;

import io.agentwatch.testsupport.KafkaStack;

/** Small helpers of {@link RegistryOutageIT}. */
final class RegistryOutageSupport {
    private RegistryOutageSupport() {
    }

    static long endOffsets(KafkaStack stack, String topic) throws Exception {
        return ProcessorCrashIT.endOffset(stack, topic);
    }

    /** Holds the outage until a moment on the monotonic clock (the fault lasts its planned length). */
    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }
}
