/**
 * The commands of the {@code sluice} command line, one picocli class each: {@code forwarder} and
 * {@code l7} run a tier in the foreground ({@link io.sluice.forwarder.Forwarder#launch},
 * {@link io.sluice.l7.server.L7Server}), {@code vip}, {@code real} and {@code stats} talk to a
 * running forwarder through its control file ({@code cnc}), {@code decap} runs the tunnel
 * decapsulation program on a real, and {@code demo} runs the {@code demo} package. Arguments are
 * parsed with the forwarder's own parsers ({@code Inputs}) before anything
 * is sent, and every failure is one line on stderr with exit code 2 for a usage error or 1 for a
 * refused or failed operation ({@link io.sluice.control.cli.CliErrors}); {@code --json} output is
 * written through {@code json}.
 */
package io.sluice.control.cli;
