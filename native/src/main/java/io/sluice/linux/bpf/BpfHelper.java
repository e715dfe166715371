package io.sluice.linux.bpf;

/**
 * Ids of the kernel helpers sluice's programs call ({@code enum bpf_func_id} in
 * {@code linux/bpf.h}, the order of {@code ___BPF_FUNC_MAPPER}), for {@link BpfAssembler#call}.
 * None is GPL-only.
 */
public final class BpfHelper
{
    /** {@code void *bpf_map_lookup_elem(map, key)}: r0 = the value's address, or 0. */
    public static final int MAP_LOOKUP_ELEM = 1;
    /** {@code long bpf_xdp_adjust_head(ctx, delta)}: moves the packet's start by delta bytes; 0, or a negative errno. */
    public static final int XDP_ADJUST_HEAD = 44;
    /** {@code long bpf_redirect_map(map, key, flags)}: XDP_REDIRECT, or the low bits of flags when key has no entry. */
    public static final int REDIRECT_MAP = 51;

    private BpfHelper()
    {
    }
}
