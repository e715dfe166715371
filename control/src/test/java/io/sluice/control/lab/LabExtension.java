package io.sluice.control.lab;

import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands every *LabIT the same {@link LabFixture}. It lives in the root context's store, so it is
 * built on first use and closed (lab down, processes killed) when the whole run ends, also
 * when tests failed. A fixture that could not be built is not retried for every test.
 */
public final class LabExtension implements ParameterResolver
{
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LabExtension.class);

    @Override
    public boolean supportsParameter(final ParameterContext parameterContext, final ExtensionContext extensionContext)
    {
        return parameterContext.getParameter().getType() == LabFixture.class;
    }

    @Override
    public Object resolveParameter(final ParameterContext parameterContext, final ExtensionContext extensionContext)
    {
        Privileges.requireRootAndIp();
        final Holder holder = extensionContext.getRoot().getStore(NAMESPACE)
            .getOrComputeIfAbsent(Holder.class, key -> Holder.create(), Holder.class);
        if (holder.failure != null)
        {
            throw new IllegalStateException("the shared lab could not be built: " + holder.failure.getMessage(), holder.failure);
        }
        return holder.fixture;
    }

    /** The fixture, or why there is none; closed by JUnit with the root store. */
    private static final class Holder implements AutoCloseable
    {
        private final LabFixture fixture;
        private final RuntimeException failure;

        private Holder(final LabFixture fixture, final RuntimeException failure)
        {
            this.fixture = fixture;
            this.failure = failure;
        }

        static Holder create()
        {
            try
            {
                return new Holder(LabFixture.start(), null);
            }
            catch (final RuntimeException ex)
            {
                return new Holder(null, ex);
            }
        }

        @Override
        public void close()
        {
            if (fixture != null)
            {
                fixture.close();
            }
        }
    }
}
