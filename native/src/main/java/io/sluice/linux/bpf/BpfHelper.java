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
    /** {@code long bpf_redirect(ifindex, flags)}: XDP_REDIRECT to that interface's transmit side (XDP_ABORTED for bad flags). */
    public static final int REDIRECT = 23;
    /** {@code long bpf_xdp_adjust_head(ctx, delta)}: moves the packet's start by delta bytes; 0, or a negative errno. */
    public static final int XDP_ADJUST_HEAD = 44;
    /** {@code long bpf_redirect_map(map, key, flags)}: XDP_REDIRECT, or the low bits of flags when key has no entry. */
    public static final int REDIRECT_MAP = 51;
    /**
     * {@code long bpf_fib_lookup(ctx, params, plen, flags)}: the kernel's route and neighbour for
     * {@code struct bpf_fib_lookup} ({@link FibLookup}); 0 with the egress ifindex and both MACs
     * filled in, else a positive {@code BPF_FIB_LKUP_RET_*} or a negative errno.
     */
    public static final int FIB_LOOKUP = 69;
    /** {@code long bpf_sk_release(sock)}: gives back the reference a socket lookup took. */
    public static final int SK_RELEASE = 86;
    /**
     * {@code struct bpf_sock_common *bpf_skc_lookup_tcp(ctx, tuple, tuple_size, netns, flags)}: the
     * TCP socket (established, request, time-wait or listening) a 4-tuple belongs to, or 0; a
     * found one must be released.
     */
    public static final int SKC_LOOKUP_TCP = 99;

    private BpfHelper()
    {
    }
}
