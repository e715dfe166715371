package io.sluice.control.cnc;

import io.sluice.forwarder.cnc.ControlFile;
import io.sluice.forwarder.cnc.ControlFileException;
import io.sluice.forwarder.config.VipKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a client says when the forwarder's process is there but its conductor is not answering. */
class ForwarderClientTest
{
    private static final VipKey VIP = VipKey.parse("198.18.1.1:80/tcp");

    @TempDir
    Path stateDir;

    @Test
    void noReplyWithinTheTimeoutSaysTheForwarderDidNotAnswer()
    {
        try (ControlFile forwarder = ControlFile.create(stateDir, 64);
            ControlFile client = ControlFile.open(stateDir, false))
        {
            assertThatThrownBy(() -> new ForwarderClient(client, 200).removeVip(VIP))
                .isInstanceOf(ControlFileException.class)
                .hasMessage("forwarder at " + stateDir + " did not answer within 200 ms");
            assertThat(forwarder.toForwarder().size()).as("the command was offered").isPositive();
        }
    }

    @Test
    void staleHeartbeatIsReportedBeforeSending()
    {
        try (ControlFile forwarder = ControlFile.create(stateDir, 64);
            ControlFile client = ControlFile.open(stateDir, false))
        {
            forwarder.toForwarder().consumerHeartbeatTime(System.currentTimeMillis() - 60_000);

            assertThatThrownBy(() -> new ForwarderClient(client, 200).removeVip(VIP))
                .isInstanceOf(ControlFileException.class)
                .hasMessageContaining("is not answering: its conductor last ran");
            assertThat(forwarder.toForwarder().size()).as("nothing was offered").isZero();
        }
    }
}
