package io.sluice.forwarder.table;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The one place a new {@link ForwardingTable} passes from the conductor to the workers: a
 * release store by the conductor, an acquire load by each worker once per batch.
 */
public final class ForwardingTablePublisher
{
    private static final VarHandle CURRENT;

    static
    {
        try
        {
            CURRENT = MethodHandles.lookup().findVarHandle(ForwardingTablePublisher.class, "current", ForwardingTable.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused") // accessed through CURRENT
    private ForwardingTable current = ForwardingTable.EMPTY;

    public void publish(final ForwardingTable table)
    {
        CURRENT.setRelease(this, table);
    }

    public ForwardingTable current()
    {
        return (ForwardingTable)CURRENT.getAcquire(this);
    }
}
