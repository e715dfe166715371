package io.sluice.linux.bpf;

import static io.sluice.linux.bpf.BpfAssembler.R1;
import static io.sluice.linux.bpf.BpfAssembler.R2;
import static io.sluice.linux.bpf.BpfAssembler.R3;

/**
 * The smallest useful XDP program: every packet to the AF_XDP socket of the queue it arrived on,
 * or to the kernel when that queue has none,
 * {@code return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS)}. For tests of the
 * sockets themselves; the forwarder runs {@link VipRedirectProgram}, which takes only VIP traffic.
 */
public final class XskRedirectAllProgram
{
    private XskRedirectAllProgram()
    {
    }

    /**
     * @param xskMap an XSKMAP ({@link BpfMap#createXskMap}), queue id to AF_XDP socket fd. The
     *               loaded program holds its own reference to the map.
     */
    public static LoadedProgram load(final BpfMap xskMap)
    {
        return LoadedProgram.loadXdp("sluice_xsk_all", code(xskMap));
    }

    static BpfAssembler code(final BpfMap xskMap)
    {
        return new BpfAssembler()
            .loadWord(R2, R1, XdpMd.RX_QUEUE_INDEX)
            .loadMap(R1, xskMap)
            .mov(R3, LoadedProgram.XDP_PASS)
            .call(BpfHelper.REDIRECT_MAP)
            .exit();
    }
}
