package io.sluice.linux.bpf;

import io.sluice.linux.LinuxException;
import io.sluice.linux.testing.Privileges;
import io.sluice.linux.testing.VethLab;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Attaching the program to a veth through a bpf_link, in both modes, and what closing does. */
final class XdpLinkLabTest
{
    @ParameterizedTest
    @EnumSource(XdpMode.class)
    void attachedWhileTheLinkIsOpenAndGoneWhenItCloses(final XdpMode mode)
    {
        Privileges.requireRootAndIp();
        try (VethLab lab = VethLab.create("xdplink");
            VipRedirectProgram program = VipRedirectProgram.load(1))
        {
            // ip prints the mode before "qdisc" ("mtu 1500 xdp qdisc ..." or "xdpgeneric qdisc")
            // and, with -d, the program ("prog/xdp id 7 name sluice_vip") in both modes.
            final String marker = mode == XdpMode.NATIVE ? " xdp qdisc " : " xdpgeneric qdisc ";
            final XdpLink link = VethLab.inNamespace(lab.namespaceB(), () ->
                XdpLink.attach(program.program(), ifIndex(VethLab.INTERFACE_B), VethLab.INTERFACE_B, mode));
            try
            {
                assertThat(lab.ipIn(lab.namespaceB(), "-d", "link", "show", VethLab.INTERFACE_B))
                    .contains(marker)
                    .contains("name sluice_vip");
            }
            finally
            {
                link.close();
            }
            assertThat(lab.ipIn(lab.namespaceB(), "-d", "link", "show", VethLab.INTERFACE_B))
                .doesNotContain("prog/xdp")
                .doesNotContain(marker);
        }
    }

    @Test
    void aSecondProgramOnTheSameInterfaceIsRefusedNamingIt()
    {
        Privileges.requireRootAndIp();
        try (VethLab lab = VethLab.create("xdpbusy");
            VipRedirectProgram first = VipRedirectProgram.load(1);
            VipRedirectProgram second = VipRedirectProgram.load(1))
        {
            VethLab.inNamespace(lab.namespaceB(), () ->
            {
                final int ifIndex = ifIndex(VethLab.INTERFACE_B);
                try (XdpLink link = XdpLink.attach(first.program(), ifIndex, VethLab.INTERFACE_B, XdpMode.GENERIC))
                {
                    assertThat(link.mode()).isEqualTo(XdpMode.GENERIC);
                    assertThatThrownBy(() ->
                        XdpLink.attach(second.program(), ifIndex, VethLab.INTERFACE_B, XdpMode.GENERIC))
                        .isInstanceOf(LinuxException.class)
                        .hasMessageContaining("XDP generic on " + VethLab.INTERFACE_B)
                        .hasMessageContaining("another XDP program is attached");
                }
                return null;
            });
        }
    }

    static int ifIndex(final String name)
    {
        return BpfTestSupport.ifIndex(name);
    }
}
