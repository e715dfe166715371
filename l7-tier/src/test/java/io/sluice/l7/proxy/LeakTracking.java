package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Netty's leak detection at its paranoid level (every buffer tracked), with leaks recorded
 * instead of only logged, so a test that leaks a buffer fails. A leak is noticed when the
 * leaked buffer has been collected and another is allocated; after each test this collects
 * garbage and allocates until the detector has looked.
 */
public final class LeakTracking implements BeforeAllCallback, AfterEachCallback
{
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static
    {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory()
        {
            @Override
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
