package io.sluice.forwarder.config;

/**
 * A VIP as configured: its key, how it forwards and schedules, how its reals are checked and
 * whether a flow's packets carry a second real to try (GLB's "second chance": the real's
 * {@code sluice decap} sends a packet that no local connection owns on to the flow's Maglev
 * secondary, so connections survive a change of reals while flows move between forwarders).
 *
 * @throws ConfigException in one line for second chance outside {@code gue} mode or without a
 *         Maglev table (round-robin, least-connection), or {@code gue} for an IPv6 VIP.
 */
public record VipSpec(VipKey key, ForwardingMode mode, SchedulerKind scheduler, HealthCheck health, boolean secondChance)
{
    /** How {@link #secondChance} is spelled: the CLI's {@code --second-chance}, the control command's option word. */
    public static final String SECOND_CHANCE = "second-chance";

    public VipSpec
    {
        if (mode == ForwardingMode.GUE && !key.isIpv4())
        {
            throw new ConfigException("VIP " + key + ": gue mode is IPv4 only (an outer IPv4 header to IPv4 reals); " +
                "use tunnel for IPv6");
        }
        if (secondChance && mode != ForwardingMode.GUE)
        {
            throw new ConfigException("VIP " + key + ": --" + SECOND_CHANCE + " needs --mode gue (the hop list travels in " +
                "the GUE header), not " + mode.label());
        }
        if (secondChance && (scheduler == SchedulerKind.ROUND_ROBIN || scheduler == SchedulerKind.LEAST_CONNECTION))
        {
            throw new ConfigException("VIP " + key + ": --" + SECOND_CHANCE + " needs a Maglev table (scheduler maglev " +
                "or source-hash), not " + scheduler.label());
        }
    }

    /** A VIP without second chance. */
    public VipSpec(final VipKey key, final ForwardingMode mode, final SchedulerKind scheduler, final HealthCheck health)
    {
        this(key, mode, scheduler, health, false);
    }

    /** A VIP whose reals are not checked, without second chance. */
    public VipSpec(final VipKey key, final ForwardingMode mode, final SchedulerKind scheduler)
    {
        this(key, mode, scheduler, HealthCheck.NONE);
    }

    /** The VIP's switches as the control command carries them: {@code ""} or {@link #SECOND_CHANCE}. */
    public String optionWords()
    {
        return secondChance ? SECOND_CHANCE : "";
    }

    /**
     * Reads {@link #optionWords()} back.
     *
     * @return whether second chance is on.
     * @throws ConfigException for a word this forwarder does not know.
     */
    public static boolean secondChance(final String optionWords)
    {
        return switch (optionWords)
        {
            case "" -> false;
            case SECOND_CHANCE -> true;
            default -> throw new ConfigException("unknown VIP option '" + optionWords + "' (expected " + SECOND_CHANCE + ")");
        };
    }

    /** The mode as {@code vip list} shows it: its label, {@code +sc} when second chance is on. */
    public String modeLabel()
    {
        return secondChance ? mode.label() + "+sc" : mode.label();
    }
}
