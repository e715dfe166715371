package io.sluice.forwarder.command;

/**
 * {@link CommandTypes#VIP_ADD}: the VIP fields of {@link VipCommandFlyweight}, then
 * <pre>
 *  20: string mode      (e.g. "dsr")
 *  ..: string scheduler (e.g. "maglev")
 *  ..: string health    (e.g. "none", "http,path=/healthz,fall=2"; see HealthCheck)
 *  ..: string options   ("" or "second-chance": the VIP's switches, as the CLI spells them without "--")
 * </pre>
 * Mode and scheduler travel as their CLI spelling so the conductor validates them with the same
 * parsers as the CLI and a newer CLI cannot smuggle in an ordinal this forwarder misreads.
 * Write {@link #mode(String)}, then {@link #scheduler(String)}, then {@link #health(String)}, then
 * {@link #options(String)}.
 */
public final class VipAddFlyweight extends VipCommandFlyweight
{
    public static final int MODE_OFFSET = VIP_FIELDS_END;

    public VipAddFlyweight()
    {
        super(VARIABLE_LENGTH);
    }

    @Override
    public boolean isComplete()
    {
        final int modeEnd = stringEnd(MODE_OFFSET);
        final int schedulerEnd = modeEnd > 0 ? stringEnd(modeEnd) : -1;
        final int healthEnd = schedulerEnd > 0 ? stringEnd(schedulerEnd) : -1;
        return healthEnd > 0 && stringEnd(healthEnd) > 0;
    }

    @Override
    public int encodedLength()
    {
        return stringEnd(optionsOffset());
    }

    public String mode()
    {
        return getString(MODE_OFFSET);
    }

    public void mode(final String mode)
    {
        putString(MODE_OFFSET, mode);
    }

    public String scheduler()
    {
        return getString(stringEnd(MODE_OFFSET));
    }

    public void scheduler(final String scheduler)
    {
        putString(stringEnd(MODE_OFFSET), scheduler);
    }

    public String health()
    {
        return getString(stringEnd(stringEnd(MODE_OFFSET)));
    }

    public void health(final String health)
    {
        putString(stringEnd(stringEnd(MODE_OFFSET)), health);
    }

    public String options()
    {
        return getString(optionsOffset());
    }

    public void options(final String options)
    {
        putString(optionsOffset(), options);
    }

    private int optionsOffset()
    {
        return stringEnd(stringEnd(stringEnd(MODE_OFFSET)));
    }
}
