package io.sluice.linux.bpf;

/**
 * Where an XDP program runs: in the driver, before any socket buffer exists (native, the fast
 * one), or after the kernel built one (generic, which works on any interface).
 */
public enum XdpMode
{
    NATIVE("native", 1 << 2),
    GENERIC("generic", 1 << 1);

    private final String label;
    /** XDP_FLAGS_DRV_MODE or XDP_FLAGS_SKB_MODE ({@code linux/if_link.h}). */
    private final int attachFlags;

    XdpMode(final String label, final int attachFlags)
    {
        this.label = label;
        this.attachFlags = attachFlags;
    }

    public String label()
    {
        return label;
    }

    int attachFlags()
    {
        return attachFlags;
    }

    /** @throws IllegalArgumentException with a one-line reason for anything but native or generic. */
    public static XdpMode parse(final String text)
    {
        for (final XdpMode mode : values())
        {
            if (mode.label.equals(text))
            {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown XDP mode '" + text + "' (expected native or generic)");
    }
}
