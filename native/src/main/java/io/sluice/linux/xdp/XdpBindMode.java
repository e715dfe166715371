package io.sluice.linux.xdp;

/**
 * How the socket shares packet memory with the driver: zero-copy (the NIC writes into the UMEM;
 * needs driver support), copy (the kernel copies each packet; works everywhere), or auto (try
 * zero-copy, fall back to copy).
 */
public enum XdpBindMode
{
    AUTO("auto"),
    COPY("copy"),
    ZERO_COPY("zero-copy");

    private final String label;

    XdpBindMode(final String label)
    {
        this.label = label;
    }

    public String label()
    {
        return label;
    }

    public static XdpBindMode parse(final String text)
    {
        for (final XdpBindMode mode : values())
        {
            if (mode.label.equals(text))
            {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown AF_XDP bind mode '" + text + "' (expected auto, copy or zero-copy)");
    }
}
