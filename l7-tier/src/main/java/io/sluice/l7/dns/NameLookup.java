package io.sluice.l7.dns;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.dns.DnsErrorCauseException;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.resolver.dns.UnixResolverDnsServerAddressStreamProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.sluice.l7.config.DnsSettings;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Looks names up, A and AAAA at once, with Netty's resolver on one event loop: it is asynchronous (a lookup
 * never holds a thread), runs on the loop it is given, and hands back the records themselves with their TTLs,
 * which the JDK's {@link InetAddress} lookups hide (and cache by a policy of their own). Nothing is cached here
 * either: each lookup asks the name servers, since asking again is the point.
 */
final class NameLookup implements AutoCloseable
{
    private static final File RESOLV_CONF = new File("/etc/resolv.conf");

    private final EventLoop loop;
    private final DnsNameResolver resolver;
    private final DnsSettings settings;

    /** @throws IllegalArgumentException when no name server is given and /etc/resolv.conf names none. */
    NameLookup(final EventLoop loop, final DnsSettings settings)
    {
        this.loop = loop;
        this.settings = settings;
        this.resolver = new DnsNameResolverBuilder(loop)
            .datagramChannelType(NioDatagramChannel.class)
            .socketChannelType(NioSocketChannel.class) // an answer too long for UDP comes again over TCP
            .resolveCache(NoopDnsCache.INSTANCE)
            .cnameCache(NoopDnsCnameCache.INSTANCE)
            .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
            // As HAProxy's resolvers: /etc/hosts has no TTL (Netty would make up a day) and never changes an answer.
            .hostsFileEntriesResolver((name, types) -> null)
            .queryTimeoutMillis(settings.timeout().toMillis())
            .nameServerProvider(nameServers(settings))
            .build();
    }

    DnsSettings settings()
    {
        return settings;
    }

    private static DnsServerAddressStreamProvider nameServers(final DnsSettings settings)
    {
        if (!settings.servers().isEmpty())
        {
            return new SequentialDnsServerAddressStreamProvider(settings.servers());
        }
        try
        {
            // Not Netty's platform default, which falls back to public resolvers on the internet when this file has none.
            return new UnixResolverDnsServerAddressStreamProvider(RESOLV_CONF);
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("dns: no servers given, and " + RESOLV_CONF + " names none usable ("
                + ex.getMessage() + ")", ex);
        }
    }

    /** The name's addresses, or why there are none; the future never fails, and completes on the loop. */
    Future<Answer> lookUp(final String name)
    {
        final Promise<Answer> answer = loop.newPromise();
        loop.execute(() ->
        {
            final Future<List<DnsRecord>> v4 = resolver.resolveAll(new DefaultDnsQuestion(name, DnsRecordType.A));
            final Future<List<DnsRecord>> v6 = resolver.resolveAll(new DefaultDnsQuestion(name, DnsRecordType.AAAA));
            v4.addListener(ignored -> v6.addListener(alsoIgnored -> answer.setSuccess(combined(records(v4), records(v6)))));
        });
        return answer;
    }

    /**
     * Both families' addresses; a failure of either fails the whole (a timed-out AAAA query must not take the
     * name's IPv6 addresses away), as does an answer with no address of either family.
     */
    private static Answer combined(final Answer v4, final Answer v6)
    {
        if (!v4.succeeded())
        {
            return v4;
        }
        if (!v6.succeeded())
        {
            return v6;
        }
        if (v4.addresses().isEmpty() && v6.addresses().isEmpty())
        {
            return Answer.failed("no A or AAAA records");
        }
        final List<InetAddress> addresses = new ArrayList<>(v4.addresses());
        addresses.addAll(v6.addresses());
        final long ttl = v4.addresses().isEmpty() ? v6.ttlSeconds()
            : v6.addresses().isEmpty() ? v4.ttlSeconds() : Math.min(v4.ttlSeconds(), v6.ttlSeconds());
        return new Answer(addresses, ttl, null);
    }

    /** One family's addresses, released as they are read; none when the name has no record of it (NOERROR, no data). */
    private static Answer records(final Future<List<DnsRecord>> lookup)
    {
        if (!lookup.isSuccess())
        {
            final Throwable cause = lookup.cause();
            // Netty fails a lookup without a cause when the servers answered but had no record of the type.
            return cause instanceof UnknownHostException && cause.getCause() == null ? new Answer(List.of(), 0, null)
                : Answer.failed(reason(cause));
        }
        final List<InetAddress> addresses = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (final DnsRecord record : lookup.getNow())
        {
            try
            {
                if (record instanceof DnsRawRecord raw && (raw.type() == DnsRecordType.A || raw.type() == DnsRecordType.AAAA))
                {
                    addresses.add(InetAddress.getByAddress(ByteBufUtil.getBytes(raw.content())));
                    ttl = Math.min(ttl, raw.timeToLive());
                }
            }
            catch (final UnknownHostException malformed)
            {
                // an address record of another length than 4 or 16: not an address, left out
            }
            finally
            {
                ReferenceCountUtil.release(record);
            }
        }
        addresses.sort((one, other) -> Arrays.compareUnsigned(one.getAddress(), other.getAddress()));
        return new Answer(addresses, addresses.isEmpty() ? 0 : ttl, null);
    }

    /** {@code timed out}, {@code NXDOMAIN}, {@code SERVFAIL}, ... or the resolver's own words. */
    private static String reason(final Throwable failure)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause())
        {
            if (cause instanceof DnsNameResolverTimeoutException)
            {
                return "timed out";
            }
            if (cause instanceof DnsErrorCauseException error)
            {
                return switch (error.getCode().intValue())
                {
                    case 2 -> "SERVFAIL";
                    case 3 -> "NXDOMAIN";
                    case 5 -> "REFUSED";
                    default -> "rcode " + error.getCode().intValue();
                };
            }
        }
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }

    /** Lookups in flight fail; the resolver's socket closes. */
    @Override
    public void close()
    {
        loop.execute(resolver::close);
    }
}
