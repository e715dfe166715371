package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Netty's leak detection at its paranoid level (every buffer tracked), with leaks recorded
 * instead of only logged, so a test that leaks a buffer fails. A leak is noticed when the
 * leaked buffer has been collected and another is allocated; after each test this collects
 * garbage and allocates until the detector has looked.
 *
 * <p>A class {@link PerClassInvocation} is looked at once per invocation of a parameterized
 * class instead (each transport, say): for a table of many short cases, where collecting garbage
 * after each would take longer than the cases themselves.
 */
public final class LeakTracking implements BeforeAllCallback, AfterEachCallback, AfterClassTemplateInvocationCallback, AfterAllCallback
{
    /**
     * On a {@code @ParameterizedClass}: leaks are looked for after each of its invocations, not after
     * each test (and once more after the class, so a class that is not parameterized is not left
     * unchecked). A leak then fails the invocation (the transport) rather than the case that made
     * it; with paranoid tracking, its records say where the buffer was last touched.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface PerClassInvocation
    {
    }

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static
    {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory()
        {
            @Override
            @SuppressWarnings("deprecation") // the factory's one abstract method: Netty deprecated it without a replacement to override
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                final Class<T> resource, final int samplingInterval, final long maxActive)
            {
                return new ResourceLeakDetector<>(resource, samplingInterval)
                {
                    @Override
                    protected void reportTracedLeak(final String resourceType, final String records)
                    {
                        LEAKS.add(resourceType + " leaked:" + records);
                    }

                    @Override
                    protected void reportUntracedLeak(final String resourceType)
                    {
                        LEAKS.add(resourceType + " leaked");
                    }
                };
            }
        });
    }

    @Override
    public void beforeAll(final ExtensionContext context)
    {
        LEAKS.clear();
    }

    @Override
    public void afterEach(final ExtensionContext context) throws InterruptedException
    {
        if (!context.getRequiredTestClass().isAnnotationPresent(PerClassInvocation.class))
        {
            lookForLeaks();
        }
    }

    @Override
    public void afterClassTemplateInvocation(final ExtensionContext context) throws InterruptedException
    {
        if (context.getRequiredTestClass().isAnnotationPresent(PerClassInvocation.class))
        {
            lookForLeaks();
        }
    }

    @Override
    public void afterAll(final ExtensionContext context) throws InterruptedException
    {
        if (context.getRequiredTestClass().isAnnotationPresent(PerClassInvocation.class))
        {
            lookForLeaks();
        }
    }

    private static void lookForLeaks() throws InterruptedException
    {
        for (int round = 0; round < 5; round++)
        {
            System.gc();
            Thread.sleep(20);
            for (int i = 0; i < 64; i++)
            {
                final ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(64);
                probe.release();
            }
        }
        assertThat(LEAKS).as("buffers leaked").isEmpty();
    }
}
