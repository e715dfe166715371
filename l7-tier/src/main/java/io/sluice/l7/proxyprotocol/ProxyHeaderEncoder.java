package io.sluice.l7.proxyprotocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.NetUtil;
import io.sluice.l7.config.Pool;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Writes the PROXY protocol header a backend connection begins with. v1 is the text line; v2 the
 * binary block, with TLVs for the client's TLS when it has any: ALPN, AUTHORITY (the SNI name)
 * and SSL (flags, the verify result, and sub-TLVs for the TLS version, the client certificate's
 * CN and the cipher). When the two addresses are of different families (a dual-stack listener)
 * both are written as IPv6, the IPv4 one mapped ({@code ::ffff:198.18.0.1}).
 */
final class ProxyHeaderEncoder
{
    static final int TYPE_ALPN = 0x01;
    static final int TYPE_AUTHORITY = 0x02;
    static final int SUBTYPE_SSL_VERSION = 0x21;
    static final int SUBTYPE_SSL_CN = 0x22;
    static final int SUBTYPE_SSL_CIPHER = 0x23;
    static final int CLIENT_SSL = 0x01;
    static final int CLIENT_CERT_SESSION = 0x04;
    /** v2's version and command byte: version 2, PROXY (or LOCAL). */
    private static final int V2_PROXY = 0x20 | ProxyHeaderDecoder.COMMAND_PROXY;
    private static final int V2_LOCAL = 0x20 | ProxyHeaderDecoder.COMMAND_LOCAL;
    private static final int STREAM = 0x01;
    private static final byte[] V4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)0xFF, (byte)0xFF};

    private ProxyHeaderEncoder()
    {
    }

    /**
     * @param source      the client's address; null (with destination) for a header that relays
     *                    no connection (a health check's): v1 {@code UNKNOWN}, v2 {@code LOCAL}.
     * @param destination the address the client connected to.
     * @param tls         the client's TLS, or null; only v2 carries it.
     */
    static ByteBuf encode(final Pool.SendProxy version, final ByteBufAllocator alloc, final InetSocketAddress source,
        final InetSocketAddress destination, final ClientTls tls)
    {
        return version == Pool.SendProxy.V1 ? v1(alloc, source, destination) : v2(alloc, source, destination, tls);
    }

    private static ByteBuf v1(final ByteBufAllocator alloc, final InetSocketAddress source, final InetSocketAddress destination)
    {
        if (source == null || destination == null)
        {
            return ByteBufUtil.writeAscii(alloc, "PROXY UNKNOWN\r\n");
        }
        final boolean ipv6 = eitherIpv6(source, destination);
        return ByteBufUtil.writeAscii(alloc, "PROXY " + (ipv6 ? "TCP6 " : "TCP4 ") + text(source.getAddress(), ipv6) + " "
            + text(destination.getAddress(), ipv6) + " " + source.getPort() + " " + destination.getPort() + "\r\n");
    }

    private static ByteBuf v2(final ByteBufAllocator alloc, final InetSocketAddress source, final InetSocketAddress destination,
        final ClientTls tls)
    {
        final ByteBuf out = alloc.buffer(ProxyHeaderDecoder.V2_FIXED_BYTES + 36 + (tls == null ? 0 : 256));
        out.writeBytes(ProxyHeaderDecoder.V2_SIGNATURE);
        if (source == null || destination == null)
        {
            return out.writeByte(V2_LOCAL).writeByte(0).writeShort(0);
        }
        final boolean ipv6 = eitherIpv6(source, destination);
        final int family = ipv6 ? ProxyHeaderDecoder.FAMILY_INET6 : ProxyHeaderDecoder.FAMILY_INET;
        out.writeByte(V2_PROXY).writeByte(family << 4 | STREAM);
        final int lengthAt = out.writerIndex();
        out.writeShort(0);
        out.writeBytes(bytes(source.getAddress(), ipv6)).writeBytes(bytes(destination.getAddress(), ipv6));
        out.writeShort(source.getPort()).writeShort(destination.getPort());
        if (tls != null)
        {
            tlv(out, TYPE_ALPN, tls.alpn());
            tlv(out, TYPE_AUTHORITY, tls.serverName());
            final int sslAt = out.writerIndex();
            out.writeByte(ProxyHeaderDecoder.TYPE_SSL).writeShort(0);
            // verify is 0 only for a certificate presented and verified: the handshake succeeded with it.
            final boolean certificate = tls.clientCertificate();
            out.writeByte(CLIENT_SSL | (certificate ? CLIENT_CERT_SESSION : 0)).writeInt(certificate ? 0 : 1);
            tlv(out, SUBTYPE_SSL_VERSION, tls.version());
            tlv(out, SUBTYPE_SSL_CN, tls.certificateCn());
            tlv(out, SUBTYPE_SSL_CIPHER, tls.cipher());
            out.setShort(sslAt + 1, out.writerIndex() - sslAt - ProxyHeaderDecoder.TLV_HEADER_BYTES);
        }
        out.setShort(lengthAt, out.writerIndex() - lengthAt - 2);
        return out;
    }

    /** A TLV whose value is the text in UTF-8; none when the text is null. */
    private static void tlv(final ByteBuf out, final int type, final String value)
    {
        if (value == null)
        {
            return;
        }
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeByte(type).writeShort(bytes.length).writeBytes(bytes);
    }

    private static boolean eitherIpv6(final InetSocketAddress source, final InetSocketAddress destination)
    {
        return source.getAddress() instanceof Inet6Address || destination.getAddress() instanceof Inet6Address;
    }

    private static String text(final InetAddress address, final boolean ipv6)
    {
        return ipv6 && address instanceof Inet4Address ? "::ffff:" + address.getHostAddress() : NetUtil.toAddressString(address);
    }

    private static byte[] bytes(final InetAddress address, final boolean ipv6)
    {
        final byte[] bytes = address.getAddress();
        if (!ipv6 || bytes.length == 16)
        {
            return bytes;
        }
        final byte[] mapped = new byte[16];
        System.arraycopy(V4_MAPPED_PREFIX, 0, mapped, 0, V4_MAPPED_PREFIX.length);
        System.arraycopy(bytes, 0, mapped, V4_MAPPED_PREFIX.length, bytes.length);
        return mapped;
    }
}
