package io.sluice.forwarder.command;

/**
 * Message type ids of the control protocol between the CLI and the conductor. Commands go to
 * the forwarder on the control file's many-to-one ring buffer; replies come back on its
 * broadcast buffer and carry the command's correlation id, so a client picks out its own reply
 * among everyone else's.
 *
 * <p>Every message starts with its correlation id (a long taken from
 * {@code RingBuffer.nextCorrelationId()}); the fields that follow are laid out by the message's
 * flyweight. Ids are part of the wire format between a CLI and a forwarder of possibly different
 * builds: never renumber them.
 */
public final class CommandTypes
{
    private CommandTypes()
    {
    }

    /** {@link VipAddFlyweight}. */
    public static final int VIP_ADD = 1;
    /** {@link VipDelFlyweight}. */
    public static final int VIP_DEL = 2;
    /** {@link RealAddFlyweight}. */
    public static final int REAL_ADD = 3;
    /** {@link RealDelFlyweight}. */
    public static final int REAL_DEL = 4;
    /** {@link GetConfigFlyweight}: answered by {@link #REPLY_CONFIG} messages. */
    public static final int GET_CONFIG = 5;
    /** {@link ConfigPutFlyweight}: a whole configuration, in chunks, applied as one change after the last. */
    public static final int CONFIG_PUT = 6;
    /** {@link BgpGetFlyweight}: the BGP settings in force, in a {@link #REPLY_OK}'s message. */
    public static final int BGP_GET = 7;
    /** {@link BgpPutFlyweight}: new BGP settings, put in force without restarting BIRD. */
    public static final int BGP_PUT = 8;

    /** {@link ReplyFlyweight} with status {@link #STATUS_OK}: the command was applied. */
    public static final int REPLY_OK = 101;
    /** {@link ReplyFlyweight} with a non-OK status: the command changed nothing. */
    public static final int REPLY_ERROR = 102;
    /** {@link ConfigReplyFlyweight}: one chunk of the configuration text. */
    public static final int REPLY_CONFIG = 103;

    public static final int STATUS_OK = 0;
    /** The command was understood and refused (unknown VIP, duplicate, limit, ...). */
    public static final int STATUS_REFUSED = 1;
    /** The message was too short or its fields did not fit in it. */
    public static final int STATUS_MALFORMED = 2;
    /** The message type id is not a command this forwarder knows. */
    public static final int STATUS_UNKNOWN_COMMAND = 3;
    /** The forwarder could not carry out a valid command (e.g. the configuration file could not be written). */
    public static final int STATUS_FAILED = 4;
    /** A configuration put was computed against a version that is no longer in force: nothing changed. */
    public static final int STATUS_CONFLICT = 5;

    /** @return a short name for a message type id, for messages and logs. */
    public static String name(final int msgTypeId)
    {
        return switch (msgTypeId)
        {
            case VIP_ADD -> "vip add";
            case VIP_DEL -> "vip del";
            case REAL_ADD -> "real add";
            case REAL_DEL -> "real del";
            case GET_CONFIG -> "get config";
            case CONFIG_PUT -> "config put";
            case BGP_GET -> "bgp get";
            case BGP_PUT -> "bgp put";
            case REPLY_OK -> "reply ok";
            case REPLY_ERROR -> "reply error";
            case REPLY_CONFIG -> "reply config";
            default -> "message type " + msgTypeId;
        };
    }
}
