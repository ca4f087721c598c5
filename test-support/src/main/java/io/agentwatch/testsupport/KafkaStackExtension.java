package io.agentwatch.testsupport;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * Gives a test a {@link KafkaStack}: a real broker and a real schema registry, started once per test JVM on first
 * use and shared by all test classes, stopped when the test run ends.
 *
 * <pre>{@code
 * @ExtendWith(KafkaStackExtension.class)
 * class SomethingIT {
 *     @Test void works(KafkaStack stack) { ... }      // a parameter of a test, constructor or lifecycle method
 *     static KafkaStack shared;                        // or a non-final field of type KafkaStack, static or not
 * }
 * }</pre>
 *
 * The stack lives in the root {@link ExtensionContext}'s store, whose values JUnit closes at the end of the run;
 * starting is lazy and thread-safe, and a failed start is remembered so that later classes fail fast with the same
 * cause instead of retrying a slow start.
 */
public final class KafkaStackExtension implements BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaStackExtension.class);

    /** The shared stack, started if this is the first ask in this JVM. */
    public static KafkaStack stack(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(StackHolder.class, key -> new StackHolder(), StackHolder.class)
                .get();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        inject(context, context.getRequiredTestClass(), null);
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws IllegalAccessException {
        inject(context, testInstance.getClass(), testInstance);
    }

    private static void inject(ExtensionContext context, Class<?> type, Object instance) throws IllegalAccessException {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                boolean isStatic = Modifier.isStatic(field.getModifiers());
                if (field.getType() == KafkaStack.class && !Modifier.isFinal(field.getModifiers()) && isStatic == (instance == null)) {
                    field.setAccessible(true);
                    if (field.get(instance) == null) {
                        field.set(instance, stack(context));
                    }
                }
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return stack(extensionContext);
    }

    /** Starts the stack once, remembers a failure, and closes the stack when JUnit closes the root store. */
    static final class StackHolder implements AutoCloseable {
        private SharedKafkaStack stack;
        private RuntimeException failure;

        synchronized KafkaStack get() {
            if (failure != null) {
                throw new IllegalStateException("the shared Kafka test stack failed to start earlier in this run: " + failure.getMessage(), failure);
            }
            if (stack == null) {
                try {
                    stack = SharedKafkaStack.start();
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                }
            }
            return stack;
        }

        @Override
        public synchronized void close() {
            if (stack != null) {
                stack.close();
            }
        }
    }
}
