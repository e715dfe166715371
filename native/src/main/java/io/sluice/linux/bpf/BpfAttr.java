package io.sluice.linux.bpf;

import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The members of {@code union bpf_attr} ({@code linux/bpf.h}) that sluice fills, one struct per
 * command, each only as long as the fields it uses: the kernel takes a shorter attr and reads the
 * rest as zero, and {@link #SIZE} bytes are always passed, zeroed. Pointers are {@code __aligned_u64}
 * in the header, so they are longs here. BpfLayoutTest holds the offsets gcc prints for the header.
 */
final class BpfAttr
{
    /** {@code sizeof(union bpf_attr)} in this kernel's headers. */
    static final long SIZE = 144;
    /** BPF_OBJ_NAME_LEN: names are at most 15 bytes and a NUL. */
    static final int OBJ_NAME_LENGTH = 16;

    /** BPF_MAP_CREATE. */
    static final StructLayout MAP_CREATE = structLayout(
        JAVA_INT.withName("map_type"),
        JAVA_INT.withName("key_size"),
        JAVA_INT.withName("value_size"),
        JAVA_INT.withName("max_entries"),
        JAVA_INT.withName("map_flags"),
        JAVA_INT.withName("inner_map_fd"),
        JAVA_INT.withName("numa_node"),
        sequenceLayout(OBJ_NAME_LENGTH, JAVA_BYTE).withName("map_name"),
        JAVA_INT.withName("map_ifindex"));

    /** BPF_MAP_LOOKUP_ELEM, BPF_MAP_UPDATE_ELEM, BPF_MAP_DELETE_ELEM, BPF_MAP_GET_NEXT_KEY. */
    static final StructLayout MAP_ELEM = structLayout(
        JAVA_INT.withName("map_fd"),
        paddingLayout(4),
        JAVA_LONG.withName("key"),
        JAVA_LONG.withName("value"), // next_key for BPF_MAP_GET_NEXT_KEY: the same union slot
        JAVA_LONG.withName("flags"));

    /** BPF_PROG_LOAD. */
    static final StructLayout PROG_LOAD = structLayout(
        JAVA_INT.withName("prog_type"),
        JAVA_INT.withName("insn_cnt"),
        JAVA_LONG.withName("insns"),
        JAVA_LONG.withName("license"),
        JAVA_INT.withName("log_level"),
        JAVA_INT.withName("log_size"),
        JAVA_LONG.withName("log_buf"),
        JAVA_INT.withName("kern_version"),
        JAVA_INT.withName("prog_flags"),
        sequenceLayout(OBJ_NAME_LENGTH, JAVA_BYTE).withName("prog_name"),
        JAVA_INT.withName("prog_ifindex"),
        JAVA_INT.withName("expected_attach_type"));

    /** BPF_PROG_TEST_RUN ({@code attr.test}). */
    static final StructLayout TEST_RUN = structLayout(
        JAVA_INT.withName("prog_fd"),
        JAVA_INT.withName("retval"),
        JAVA_INT.withName("data_size_in"),
        JAVA_INT.withName("data_size_out"),
        JAVA_LONG.withName("data_in"),
        JAVA_LONG.withName("data_out"),
        JAVA_INT.withName("repeat"),
        JAVA_INT.withName("duration"));

    /** BPF_LINK_CREATE ({@code attr.link_create}), up to its flags. */
    static final StructLayout LINK_CREATE = structLayout(
        JAVA_INT.withName("prog_fd"),
        JAVA_INT.withName("target_ifindex"),
        JAVA_INT.withName("attach_type"),
        JAVA_INT.withName("flags"));

    static final long MAP_TYPE = offset(MAP_CREATE, "map_type");
    static final long KEY_SIZE = offset(MAP_CREATE, "key_size");
    static final long VALUE_SIZE = offset(MAP_CREATE, "value_size");
    static final long MAX_ENTRIES = offset(MAP_CREATE, "max_entries");
    static final long MAP_NAME = offset(MAP_CREATE, "map_name");

    static final long MAP_FD = offset(MAP_ELEM, "map_fd");
    static final long KEY = offset(MAP_ELEM, "key");
    static final long VALUE = offset(MAP_ELEM, "value");
    static final long ELEM_FLAGS = offset(MAP_ELEM, "flags");

    static final long PROG_TYPE = offset(PROG_LOAD, "prog_type");
    static final long INSN_CNT = offset(PROG_LOAD, "insn_cnt");
    static final long INSNS = offset(PROG_LOAD, "insns");
    static final long LICENSE = offset(PROG_LOAD, "license");
    static final long LOG_LEVEL = offset(PROG_LOAD, "log_level");
    static final long LOG_SIZE = offset(PROG_LOAD, "log_size");
    static final long LOG_BUF = offset(PROG_LOAD, "log_buf");
    static final long PROG_NAME = offset(PROG_LOAD, "prog_name");

    static final long TEST_PROG_FD = offset(TEST_RUN, "prog_fd");
    static final long TEST_RETVAL = offset(TEST_RUN, "retval");
    static final long TEST_DATA_SIZE_IN = offset(TEST_RUN, "data_size_in");
    static final long TEST_DATA_SIZE_OUT = offset(TEST_RUN, "data_size_out");
    static final long TEST_DATA_IN = offset(TEST_RUN, "data_in");
    static final long TEST_DATA_OUT = offset(TEST_RUN, "data_out");
    static final long TEST_REPEAT = offset(TEST_RUN, "repeat");

    static final long LINK_PROG_FD = offset(LINK_CREATE, "prog_fd");
    static final long LINK_TARGET_IFINDEX = offset(LINK_CREATE, "target_ifindex");
    static final long LINK_ATTACH_TYPE = offset(LINK_CREATE, "attach_type");
    static final long LINK_FLAGS = offset(LINK_CREATE, "flags");

    private BpfAttr()
    {
    }

    static long offset(final StructLayout layout, final String field)
    {
        return layout.byteOffset(groupElement(field));
    }
}
