package io.sluice.forwarder;

import io.sluice.forwarder.cnc.ControlFileDescriptor;
import io.sluice.forwarder.conductor.ConfigFileStore;
import io.sluice.linux.bpf.XdpMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link Forwarder.Context#conclude} fills in and refuses, and an embedded launch without sockets. */
class ForwarderContextTest
{
    @TempDir
    Path stateDir;

    @Test
    void concludeFillsTheDefaults()
    {
        final Forwarder.Context context = new Forwarder.Context().iface("eth0").queues(2).stateDir(stateDir).conclude();

        assertThat(context.io()).isEqualTo(IoPath.AUTO);
        assertThat(context.workerCpus()).containsExactly(-1, -1);
        assertThat(context.configFile()).isEqualTo(stateDir.resolve(ConfigFileStore.DEFAULT_FILE_NAME));
        assertThat(context.flows()).isEqualTo(Forwarder.Context.DEFAULT_FLOWS);
        assertThat(context.maxCounters()).isEqualTo(ControlFileDescriptor.DEFAULT_MAX_COUNTERS);
        assertThat(context.conductorIdleStrategy()).isNotNull();
        assertThat(context.errorHandler()).isNotNull();
        assertThat(context.messages()).isNotNull();
        assertThat(context.epochClock()).isNotNull();
        assertThat(context.nanoClock()).isNotNull();
        assertThat(context.tables()).isNotNull();
        assertThat(context.nextHopResolver()).as("the kernel's, made at launch").isNull();
        assertThatThrownBy(context::conclude).isInstanceOf(IllegalStateException.class).hasMessage(
            "this forwarder context is concluded already");
    }

    @Test
    void eachBadSettingIsRefusedWithOneMessageNamingIt()
    {
        assertRefused((c) -> c.stateDir(null), "stateDir must be set");
        assertRefused((c) -> c.iface(null), "iface must be set for io AUTO");
        assertRefused((c) -> c.io(null), "io must be set");
        assertRefused((c) -> c.egressIface("eth1"), "egressIface eth1 is iface itself");
        assertRefused((c) -> c.io(IoPath.PACKET).xdpMode(XdpMode.GENERIC), "xdpMode and xdpBindMode apply to io XDP, not PACKET");
        assertRefused((c) -> c.queues(0), "queues 0 is outside 1-64");
        assertRefused((c) -> c.queues(65), "queues 65 is outside 1-64");
        assertRefused((c) -> c.flows(1000), "flows 1000 must be a power of two from 1024 to 16777216");
        assertRefused((c) -> c.tunnelSource(null), "tunnelSource must be set");
        assertRefused((c) -> c.maxCounters(0), "maxCounters 0 is out of range");
        assertRefused((c) -> c.workerPollTimeoutMs(0), "workerPollTimeoutMs 0 must be at least 1");
        assertRefused((c) -> c.workerCpus(new int[]{ 0, 0 }), "workerCpus has 2 entries for 1 queue(s)");
        assertRefused((c) -> c.workerCpus(new int[]{ 4096 }), "workerCpus: CPU 4096 is not available to this process (it has " +
            Runtime.getRuntime().availableProcessors() + ")");
    }

    @Test
    void anEmbeddedLaunchWithoutSocketsRunsTheConductorAndWorkersUntilClosed()
    {
        final Path controlFile = stateDir.resolve(ControlFileDescriptor.FILE_NAME);
        try (Forwarder forwarder = Forwarder.launch(new Forwarder.Context().io(IoPath.NONE).queues(2).stateDir(stateDir)
            .flows(Forwarder.Context.MIN_FLOWS).maxCounters(1024)))
        {
            assertThat(controlFile).exists();
            assertThat(forwarder.summary()).isEqualTo("2 worker(s), no sockets, 0 VIP(s) restored, state " + stateDir);
            forwarder.worker(1).counters().rxPackets.increment();
            assertThat(forwarder.worker(1).counters().rxPackets.get()).isOne();
            assertThat(forwarder.worker(1).processor()).isNotSameAs(forwarder.worker(0).processor());
            assertThat(forwarder.context().tables().current().vips()).isEmpty();
        }
        assertThat(Files.exists(controlFile)).as("deleted when closed").isFalse();
    }

    private void assertRefused(final UnaryOperator<Forwarder.Context> bad, final String message)
    {
        final Forwarder.Context context = bad.apply(new Forwarder.Context().iface("eth1").stateDir(stateDir));
        assertThatThrownBy(context::conclude).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
