package io.sluice.l7.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A block of IP addresses, {@code 198.18.0.0/24} or {@code 2001:2::/64}; a bare address is a
 * block of one. Compared as bytes: an IPv4 block never holds an IPv6 address, and the JDK
 * already gives an IPv4-mapped peer ({@code ::ffff:198.18.0.1}, on a dual-stack listener) as the
 * IPv4 address it is.
 *
 * @param network      the block's first address (no host bits set).
 * @param prefixLength 0-32 for IPv4, 0-128 for IPv6.
 */
public record AddressBlock(InetAddress network, int prefixLength)
{
    private static final String FORM = "ADDR or ADDR/LEN";

    public boolean contains(final InetAddress address)
    {
        final byte[] block = network.getAddress();
        final byte[] candidate = address.getAddress();
        if (block.length != candidate.length)
        {
            return false;
        }
        final int wholeBytes = prefixLength / 8;
        for (int i = 0; i < wholeBytes; i++)
        {
            if (block[i] != candidate[i])
            {
                return false;
            }
        }
        final int restBits = prefixLength % 8;
        if (restBits == 0)
        {
            return true;
        }
        final int mask = 0xFF << (8 - restBits) & 0xFF;
        return (block[wholeBytes] & mask) == (candidate[wholeBytes] & mask);
    }

    /**
     * {@code ADDR} or {@code ADDR/LEN}, IP literals as {@link SocketAddresses} takes them. A block
     * with host bits set ({@code 198.18.0.1/24}) is refused rather than rounded down: it is
     * usually a typo for a single address or a different block, and guessing either way would
     * trust the wrong peers.
     *
     * @throws IllegalArgumentException whose message is the whole reason.
     */
    static AddressBlock parse(final String text)
    {
        final int slash = text.indexOf('/');
        final InetAddress address = SocketAddresses.literal(slash < 0 ? text : text.substring(0, slash), text, FORM);
        final int bits = address instanceof Inet4Address ? 32 : 128;
        if (slash < 0)
        {
            return new AddressBlock(address, bits);
        }
        final String length = text.substring(slash + 1);
        if (!length.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(length) > bits)
        {
            throw new IllegalArgumentException("'" + text + "' is not " + FORM + " (LEN 0-" + bits + ")");
        }
        final AddressBlock block = new AddressBlock(address, Integer.parseInt(length));
        final InetAddress first = block.firstAddress();
        if (!first.equals(address))
        {
            throw new IllegalArgumentException("'" + text + "' has host bits set (the block is " + first.getHostAddress() + "/"
                + length + ")");
        }
        return block;
    }

    private InetAddress firstAddress()
    {
        final byte[] bytes = network.getAddress();
        for (int bit = prefixLength; bit < bytes.length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >>> (bit % 8));
        }
        try
        {
            return InetAddress.getByAddress(bytes);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex); // only for a wrong length, and the length is the address's own
        }
    }
}
