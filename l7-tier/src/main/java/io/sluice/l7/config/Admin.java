package io.sluice.l7.config;

import java.net.InetSocketAddress;

/** The admin endpoint (status, metrics, reload, drain); it must be a loopback address. */
public record Admin(InetSocketAddress address)
{
}
