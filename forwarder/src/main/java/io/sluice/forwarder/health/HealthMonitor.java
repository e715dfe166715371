package io.sluice.forwarder.health;

import io.sluice.forwarder.config.HealthCheck;
import io.sluice.forwarder.config.IpAddress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Active health checks of the reals, without a thread of their own: {@link #poll} is called from
 * the conductor's duty cycle, starts the checks that are due, advances those in flight with a
 * non-blocking selector and ends the ones past their timeout, telling the {@link Listener} each
 * outcome. A TCP check passes when the connection is accepted; an HTTP check sends a GET and
 * passes when the status is the expected one and, if asked, the body holds the substring.
 *
 * <p>Each target is checked every interval from the start of its previous check; the first check
 * of a new target starts at once. Sockets are opened in the caller's network namespace, the one
 * the forwarder runs in. This is the control path: it allocates.
 */
public final class HealthMonitor implements AutoCloseable
{
    /** What a check found. */
    @FunctionalInterface
    public interface Listener
    {
        /** @param reason why it failed ("connection refused", "status 503"...), or "ok". */
        void onCheck(HealthTarget target, boolean ok, String reason);
    }

    /** Bytes of an HTTP answer looked at: the status line, headers and the start of the body. */
    static final int MAX_RESPONSE_BYTES = 16 * 1024;

    private final Listener listener;
    private final Selector selector;
    private final Map<HealthTarget, Probe> probes = new LinkedHashMap<>();

    public HealthMonitor(final Listener listener)
    {
        this.listener = listener;
        try
        {
            this.selector = Selector.open();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open a selector for health checks", ex);
        }
    }

    /** Replaces the targets: those that stay keep their schedule, new ones are checked at once. */
    public void targets(final Collection<HealthTarget> targets, final long nowMs)
    {
        final Set<HealthTarget> wanted = new HashSet<>(targets);
        final Iterator<Map.Entry<HealthTarget, Probe>> existing = probes.entrySet().iterator();
        while (existing.hasNext())
        {
            final Map.Entry<HealthTarget, Probe> entry = existing.next();
            if (!wanted.contains(entry.getKey()))
            {
                entry.getValue().abandon();
                existing.remove();
            }
        }
        for (final HealthTarget target : targets)
        {
            probes.computeIfAbsent(target, (t) -> new Probe(t, nowMs));
        }
    }

    public int targetCount()
    {
        return probes.size();
    }

    /** @return how many checks started, progressed or ended. */
    public int poll(final long nowMs)
    {
        int work = 0;
        if (!selector.keys().isEmpty())
        {
            try
            {
                if (selector.selectNow() > 0)
                {
                    for (final SelectionKey key : selector.selectedKeys())
                    {
                        ((Probe)key.attachment()).onReady(key, nowMs);
                        work++;
                    }
                    selector.selectedKeys().clear();
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("health check selector failed", ex);
            }
        }
        for (final Probe probe : probes.values())
        {
            work += probe.onTime(nowMs);
        }
        return work;
    }

    @Override
    public void close()
    {
        for (final Probe probe : probes.values())
        {
            probe.abandon();
        }
        probes.clear();
        try
        {
            selector.close();
        }
        catch (final IOException ignored)
        {
            // Closing: nothing is left to tell.
        }
    }

    /** One target's checks: at most one in flight. */
    private final class Probe
    {
        private final HealthTarget target;
        private final HealthCheck check;
        private long nextStartMs;
        private long deadlineMs;
        private SocketChannel channel;
        private ByteBuffer request;
        private ByteBuffer response;

        Probe(final HealthTarget target, final long nowMs)
        {
            this.target = target;
            this.check = target.check();
            this.nextStartMs = nowMs;
        }

        int onTime(final long nowMs)
        {
            if (channel != null)
            {
                if (nowMs - deadlineMs >= 0)
                {
                    finish(false, "no answer within " + check.timeoutMs() + "ms");
                    return 1;
                }
                return 0;
            }
            if (nowMs - nextStartMs >= 0)
            {
                start(nowMs);
                return 1;
            }
            return 0;
        }

        private void start(final long nowMs)
        {
            nextStartMs = nowMs + check.intervalMs();
            deadlineMs = nowMs + check.timeoutMs();
            try
            {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                if (channel.connect(new InetSocketAddress(target.address().inetAddress(), target.port())))
                {
                    connected();
                }
                else
                {
                    channel.register(selector, SelectionKey.OP_CONNECT, this);
                }
            }
            catch (final IOException ex)
            {
                finish(false, reason(ex));
            }
        }

        void onReady(final SelectionKey key, final long nowMs)
        {
            if (channel == null || !key.isValid())
            {
                return;
            }
            try
            {
                if (key.isConnectable())
                {
                    channel.finishConnect();
                    connected();
                }
                else if (key.isWritable())
                {
                    channel.write(request);
                    if (!request.hasRemaining())
                    {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                }
                else if (key.isReadable())
                {
                    final int read = channel.read(response);
                    if (read < 0 || !response.hasRemaining())
                    {
                        judgeResponse();
                    }
                }
            }
            catch (final IOException ex)
            {
                finish(false, reason(ex));
            }
        }

        private void connected() throws IOException
        {
            if (check.kind() == HealthCheck.Kind.TCP)
            {
                finish(true, "ok");
                return;
            }
            request = StandardCharsets.US_ASCII.encode("GET " + check.path() + " HTTP/1.1\r\nHost: " + hostHeader(target.vip().address()) +
                "\r\nUser-Agent: sluice-health-check\r\nConnection: close\r\n\r\n");
            response = ByteBuffer.allocate(MAX_RESPONSE_BYTES);
            channel.register(selector, SelectionKey.OP_WRITE, this);
        }

        /** At the end of the answer (or its first {@link #MAX_RESPONSE_BYTES}). */
        private void judgeResponse()
        {
            final String text = new String(response.array(), 0, response.position(), StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/1.") || text.length() < 12 || text.charAt(8) != ' ')
            {
                finish(false, text.isEmpty() ? "closed without an answer" : "not an HTTP answer");
                return;
            }
            final String status = text.substring(9, 12);
            if (!status.equals(Integer.toString(check.expectStatus())))
            {
                finish(false, "status " + status + ", expected " + check.expectStatus());
                return;
            }
            if (check.bodyContains() != null)
            {
                final int bodyStart = text.indexOf("\r\n\r\n");
                if (bodyStart < 0 || !text.substring(bodyStart + 4).contains(check.bodyContains()))
                {
                    finish(false, "body without '" + check.bodyContains() + "'");
                    return;
                }
            }
            finish(true, "ok");
        }

        private void finish(final boolean ok, final String reason)
        {
            abandon();
            listener.onCheck(target, ok, reason);
        }

        /** Closes the check in flight, if any, without a verdict. */
        void abandon()
        {
            if (channel != null)
            {
                try
                {
                    channel.close(); // also cancels its selection key
                }
                catch (final IOException ignored)
                {
                    // A socket that will not close cleanly is gone all the same.
                }
                channel = null;
                request = null;
                response = null;
            }
        }

        private String reason(final IOException ex)
        {
            final String message = ex.getMessage();
            return message == null ? ex.getClass().getSimpleName() : message.toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The Host header's value for a VIP's address (RFC 7230 5.4: an IPv6 literal in brackets). */
    static String hostHeader(final IpAddress address)
    {
        return address.isIpv4() ? address.toString() : "[" + address + "]";
    }
}
