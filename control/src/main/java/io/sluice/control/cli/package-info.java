/**
 * The commands of the {@code sluice} command line, one picocli class each: {@code forwarder} and
 * {@code l7} run a tier in the foreground ({@link io.sluice.forwarder.Forwarder#launch},
 * {@link io.sluice.l7.server.L7Server}), {@code vip}, {@code real}, {@code apply}, {@code export} and {@code stats} talk to a
 * running forwarder through its control file ({@code cnc}), {@code top} reads it (and an L7 proxy's admin
 * endpoint) without writing to it ({@code top}), {@code doctor} checks the host ({@code doctor}), {@code decap} runs the tunnel
 * decapsulation program on a real, {@code demo} runs the {@code demo} package, and {@code completion}
 * prints the bash completion script ({@code ManPage} writes the man page at build time). Arguments are
 * parsed with the forwarder's own parsers ({@code Inputs}) before anything
 * is sent, and every failure is one line on stderr with exit code 2 for a usage error or 1 for a
 * refused or failed operation ({@link io.sluice.control.cli.CliErrors}); {@code --json} output is
 * written through {@code json}.
 */
package io.sluice.control.cli;
