package io.sluice.l7.config;

import java.net.InetSocketAddress;

/**
 * Where clients connect: {@code address: 198.18.1.1:80} or {@code "[2001:2:0:1::1]:80"} (an IP
 * literal, no name lookup; {@code 0.0.0.0} or {@code "[::]"} for every address).
 */
public record Listener(String name, InetSocketAddress address)
{
}
