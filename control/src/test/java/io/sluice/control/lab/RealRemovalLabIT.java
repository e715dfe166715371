package io.sluice.control.lab;

import io.sluice.control.demo.KeepAliveConnection;
import io.sluice.lab.Lab;
import io.sluice.lab.http.LoadReport;
import io.sluice.linux.testing.Privileges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Removing a real must not break connections that other reals serve: the flow table keeps
 * established flows where they are, and new flows never go to the removed real.
 */
@ExtendWith(LabExtension.class)
class RealRemovalLabIT
{
    private static final String VIP = LabFixture.VIPS.get(2);
    private static final int CONNECTIONS = 30;

    @Test
    void establishedConnectionsToOtherRealsSurviveAndNewOnesAvoidTheRemovedReal(final LabFixture fixture) throws Exception
    {
        Privileges.requireRootAndIp();
        final String key = fixture.configureVip(VIP, LabFixture.REALS);
        final String clientNamespace = fixture.lab().namespace(Lab.CLIENT);

        final List<KeepAliveConnection> connections = KeepAliveConnection.inNamespace(clientNamespace, () ->
        {
            final List<KeepAliveConnection> opened = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++)
            {
                opened.add(KeepAliveConnection.open(VIP, LabFixture.PORT));
            }
            return opened;
        });
        try
        {
            final List<String> firstServedBy = new ArrayList<>();
            for (final KeepAliveConnection connection : connections)
            {
                firstServedBy.add(connection.get().servedBy());
            }
            assertThat(firstServedBy).hasSize(CONNECTIONS).doesNotContainNull();
            final String removed = firstServedBy.getFirst();
            assertThat(firstServedBy).as("some connections must be on other reals than %s", removed)
                .anyMatch(real -> !real.equals(removed));

            LabFixture.assertSucceeded(fixture.sluice("real", "del", key, addressOf(removed)));

            for (int i = 0; i < CONNECTIONS; i++)
            {
                if (!firstServedBy.get(i).equals(removed))
                {
                    assertThat(connections.get(i).get().servedBy())
                        .as("connection %d, first served by %s, after %s was removed", i, firstServedBy.get(i), removed)
                        .isEqualTo(firstServedBy.get(i));
                }
            }
            final LoadReport after = fixture.load(VIP, 60);
            assertThat(after.failures()).isEmpty();
            assertThat(after.servedBy(removed)).as("new connections served by the removed %s", removed).isZero();
        }
        finally
        {
            for (final KeepAliveConnection connection : connections)
            {
                connection.close();
            }
        }
    }

    private static String addressOf(final String real)
    {
        return Lab.realAddress(Integer.parseInt(real.substring("real".length())));
    }
}
