package io.sluice.linux.bpf;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bpf_attr members and xdp_md against the C header: the expected numbers are
 * sizeof/offsetof that gcc printed for {@code linux/bpf.h} on x86_64 (kernel 6.18 headers),
 * e.g. {@code offsetof(union bpf_attr, test.data_out)}.
 */
final class BpfLayoutTest
{
    @Test
    void attrIsTheHeadersSizeAndEveryMemberFitsInIt()
    {
        assertThat(BpfAttr.SIZE).isEqualTo(144);
        assertThat(BpfAttr.MAP_CREATE.byteSize()).isLessThanOrEqualTo(BpfAttr.SIZE);
        assertThat(BpfAttr.MAP_ELEM.byteSize()).isLessThanOrEqualTo(BpfAttr.SIZE);
        assertThat(BpfAttr.PROG_LOAD.byteSize()).isLessThanOrEqualTo(BpfAttr.SIZE);
        assertThat(BpfAttr.TEST_RUN.byteSize()).isLessThanOrEqualTo(BpfAttr.SIZE);
        assertThat(BpfAttr.LINK_CREATE.byteSize()).isLessThanOrEqualTo(BpfAttr.SIZE);
    }

    @Test
    void mapCreateMatchesBpfH()
    {
        assertThat(BpfAttr.MAP_TYPE).isEqualTo(0);
        assertThat(BpfAttr.KEY_SIZE).isEqualTo(4);
        assertThat(BpfAttr.VALUE_SIZE).isEqualTo(8);
        assertThat(BpfAttr.MAX_ENTRIES).isEqualTo(12);
        assertThat(BpfAttr.offset(BpfAttr.MAP_CREATE, "map_flags")).isEqualTo(16);
        assertThat(BpfAttr.offset(BpfAttr.MAP_CREATE, "numa_node")).isEqualTo(24);
        assertThat(BpfAttr.MAP_NAME).isEqualTo(28);
        assertThat(BpfAttr.offset(BpfAttr.MAP_CREATE, "map_ifindex")).isEqualTo(44);
        assertThat(BpfAttr.OBJ_NAME_LENGTH).isEqualTo(16);
    }

    @Test
    void mapElementMatchesBpfH()
    {
        assertThat(BpfAttr.MAP_FD).isEqualTo(0);
        assertThat(BpfAttr.KEY).isEqualTo(8);
        assertThat(BpfAttr.VALUE).as("value and next_key share the slot").isEqualTo(16);
        assertThat(BpfAttr.ELEM_FLAGS).isEqualTo(24);
    }

    @Test
    void progLoadMatchesBpfH()
    {
        assertThat(BpfAttr.PROG_TYPE).isEqualTo(0);
        assertThat(BpfAttr.INSN_CNT).isEqualTo(4);
        assertThat(BpfAttr.INSNS).isEqualTo(8);
        assertThat(BpfAttr.LICENSE).isEqualTo(16);
        assertThat(BpfAttr.LOG_LEVEL).isEqualTo(24);
        assertThat(BpfAttr.LOG_SIZE).isEqualTo(28);
        assertThat(BpfAttr.LOG_BUF).isEqualTo(32);
        assertThat(BpfAttr.offset(BpfAttr.PROG_LOAD, "kern_version")).isEqualTo(40);
        assertThat(BpfAttr.offset(BpfAttr.PROG_LOAD, "prog_flags")).isEqualTo(44);
        assertThat(BpfAttr.PROG_NAME).isEqualTo(48);
        assertThat(BpfAttr.offset(BpfAttr.PROG_LOAD, "prog_ifindex")).isEqualTo(64);
        assertThat(BpfAttr.offset(BpfAttr.PROG_LOAD, "expected_attach_type")).isEqualTo(68);
    }

    @Test
    void testRunMatchesBpfH()
    {
        assertThat(BpfAttr.TEST_PROG_FD).isEqualTo(0);
        assertThat(BpfAttr.TEST_RETVAL).isEqualTo(4);
        assertThat(BpfAttr.TEST_DATA_SIZE_IN).isEqualTo(8);
        assertThat(BpfAttr.TEST_DATA_SIZE_OUT).isEqualTo(12);
        assertThat(BpfAttr.TEST_DATA_IN).isEqualTo(16);
        assertThat(BpfAttr.TEST_DATA_OUT).isEqualTo(24);
        assertThat(BpfAttr.TEST_REPEAT).isEqualTo(32);
        assertThat(BpfAttr.offset(BpfAttr.TEST_RUN, "duration")).isEqualTo(36);
    }

    @Test
    void linkCreateMatchesBpfH()
    {
        assertThat(BpfAttr.LINK_PROG_FD).isEqualTo(0);
        assertThat(BpfAttr.LINK_TARGET_IFINDEX).isEqualTo(4);
        assertThat(BpfAttr.LINK_ATTACH_TYPE).isEqualTo(8);
        assertThat(BpfAttr.LINK_FLAGS).isEqualTo(12);
    }

    @Test
    void xdpContextMatchesBpfH()
    {
        assertThat(XdpMd.LAYOUT.byteSize()).isEqualTo(24);
        assertThat(XdpMd.DATA).isEqualTo(0);
        assertThat(XdpMd.DATA_END).isEqualTo(4);
        assertThat(XdpMd.RX_QUEUE_INDEX).isEqualTo(16);
    }

    @Test
    void constantsMatchBpfHAndIfLinkH()
    {
        assertThat(new int[] {
            Bpf.BPF_MAP_CREATE, Bpf.BPF_MAP_LOOKUP_ELEM, Bpf.BPF_MAP_UPDATE_ELEM, Bpf.BPF_MAP_DELETE_ELEM,
            Bpf.BPF_MAP_GET_NEXT_KEY, Bpf.BPF_PROG_LOAD, Bpf.BPF_PROG_TEST_RUN, Bpf.BPF_LINK_CREATE })
            .containsExactly(0, 1, 2, 3, 4, 5, 10, 28);
        assertThat(new int[] {
            Bpf.BPF_MAP_TYPE_HASH, Bpf.BPF_MAP_TYPE_ARRAY, Bpf.BPF_MAP_TYPE_PERCPU_ARRAY, Bpf.BPF_MAP_TYPE_XSKMAP })
            .containsExactly(1, 2, 6, 17);
        assertThat(Bpf.BPF_PROG_TYPE_XDP).isEqualTo(6);
        assertThat(Bpf.BPF_XDP).isEqualTo(37);
        assertThat(XdpMode.NATIVE.attachFlags()).as("XDP_FLAGS_DRV_MODE").isEqualTo(4);
        assertThat(XdpMode.GENERIC.attachFlags()).as("XDP_FLAGS_SKB_MODE").isEqualTo(2);
        assertThat(BpfHelper.MAP_LOOKUP_ELEM).isEqualTo(1);
        assertThat(BpfHelper.REDIRECT_MAP).isEqualTo(51);
        assertThat(new int[] {
            LoadedProgram.XDP_ABORTED, LoadedProgram.XDP_DROP, LoadedProgram.XDP_PASS, LoadedProgram.XDP_TX,
            LoadedProgram.XDP_REDIRECT })
            .containsExactly(0, 1, 2, 3, 4);
    }
}
