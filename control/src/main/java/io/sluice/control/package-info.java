/**
 * The {@code sluice} command line's entry point: {@link io.sluice.control.SluiceCli}, the main
 * class of the runnable jar, which declares the top-level commands ({@code forwarder},
 * {@code vip}, {@code real}, {@code apply}, {@code export}, {@code stats}, {@code top}, {@code decap},
 * {@code doctor}, {@code l7}, {@code demo}, {@code completion}) and runs
 * one command line to an exit code. The commands themselves live in {@code cli}; nothing here
 * maps the control file or starts a tier, so every command starts as fast as picocli allows.
 * The control module is the top of sluice: it depends on the forwarder and the L7 tier, and
 * nothing depends on it.
 */
package io.sluice.control;
