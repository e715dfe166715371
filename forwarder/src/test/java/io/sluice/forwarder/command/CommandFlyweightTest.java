package io.sluice.forwarder.command;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.ConfigException;
import io.sluice.forwarder.config.VipKey;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandFlyweightTest
{
    private static final VipKey VIP = VipKey.parse("198.18.1.1:80/tcp");
    private static final int OFFSET = 16;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);

    @Test
    void vipAddRoundTripsAtAnOffset()
    {
        final VipAddFlyweight writer = new VipAddFlyweight().wrap(buffer, OFFSET, 1024);
        writer.correlationId(42L);
        writer.vipKey(VIP);
        writer.mode("gue");
        writer.scheduler("maglev");
        writer.health("tcp,fall=2");
        writer.options("second-chance");
        final int length = writer.encodedLength();

        final VipAddFlyweight reader = new VipAddFlyweight().wrap(buffer, OFFSET, length);

        assertThat(length).isEqualTo(VipCommandFlyweight.VIP_FIELDS_END + 4 + 3 + 4 + 6 + 4 + 10 + 4 + 13);
        assertThat(reader.isComplete()).isTrue();
        assertThat(reader.correlationId()).isEqualTo(42L);
        assertThat(reader.vipKey()).isEqualTo(VIP);
        assertThat(reader.mode()).isEqualTo("gue");
        assertThat(reader.scheduler()).isEqualTo("maglev");
        assertThat(reader.health()).isEqualTo("tcp,fall=2");
        assertThat(reader.options()).isEqualTo("second-chance");
    }

    @Test
    void vipAddShorterThanItsStringsIsIncomplete()
    {
        final VipAddFlyweight writer = new VipAddFlyweight().wrap(buffer, 0, 1024);
        writer.correlationId(1L);
        writer.vipKey(VIP);
        writer.mode("dsr");
        writer.scheduler("maglev");
        writer.health("none");
        writer.options("");
        final int length = writer.encodedLength();
        final VipAddFlyweight reader = new VipAddFlyweight();

        for (int shorter = 0; shorter < length; shorter++)
        {
            assertThat(reader.wrap(buffer, 0, shorter).isComplete()).as("length %d", shorter).isFalse();
        }
        assertThat(reader.wrap(buffer, 0, length).isComplete()).isTrue();
    }

    @Test
    void negativeOrHugeStringLengthIsIncomplete()
    {
        final VipAddFlyweight writer = new VipAddFlyweight().wrap(buffer, 0, 1024);
        writer.vipKey(VIP);
        buffer.putInt(VipAddFlyweight.MODE_OFFSET, -5);

        assertThat(new VipAddFlyweight().wrap(buffer, 0, 1024).isComplete()).isFalse();

        buffer.putInt(VipAddFlyweight.MODE_OFFSET, Integer.MAX_VALUE);

        assertThat(new VipAddFlyweight().wrap(buffer, 0, 1024).isComplete()).isFalse();
    }

    @Test
    void vipWithUnknownProtocolNumberIsRefusedWithAReason()
    {
        final VipDelFlyweight flyweight = new VipDelFlyweight().wrap(buffer, 0, VipDelFlyweight.LENGTH);
        flyweight.vipKey(VIP);
        buffer.putInt(VipCommandFlyweight.VIP_PROTOCOL_OFFSET, 1);

        assertThat(flyweight.isComplete()).isTrue();
        assertThatThrownBy(flyweight::vipKey).isInstanceOf(ConfigException.class).hasMessage("IP protocol 1 is neither tcp nor udp");
    }

    @Test
    void fixedLengthCommandsRoundTripAndRefuseShortMessages()
    {
        final RealAddFlyweight realAdd = new RealAddFlyweight().wrap(buffer, OFFSET, RealAddFlyweight.LENGTH);
        realAdd.correlationId(7L);
        realAdd.vipKey(VIP);
        realAdd.realAddress(IpAddress.ipv4(0xC612000B));
        realAdd.realPort(0);
        realAdd.weight(250);

        final RealAddFlyweight readAdd = new RealAddFlyweight().wrap(buffer, OFFSET, RealAddFlyweight.LENGTH);
        assertThat(readAdd.isComplete()).isTrue();
        assertThat(readAdd.correlationId()).isEqualTo(7L);
        assertThat(readAdd.vipKey()).isEqualTo(VIP);
        assertThat(readAdd.realAddress()).isEqualTo(IpAddress.ipv4(0xC612000B));
        assertThat(readAdd.weight()).isEqualTo(250);
        assertThat(new RealAddFlyweight().wrap(buffer, OFFSET, RealAddFlyweight.LENGTH - 1).isComplete()).isFalse();

        final RealDelFlyweight realDel = new RealDelFlyweight().wrap(buffer, OFFSET, RealDelFlyweight.LENGTH);
        realDel.correlationId(8L);
        realDel.vipKey(VIP);
        realDel.realAddress(IpAddress.parse("2001:2::5"));
        realDel.realPort(8080);
        final RealDelFlyweight readDel = new RealDelFlyweight().wrap(buffer, OFFSET, RealDelFlyweight.LENGTH);
        assertThat(readDel.isComplete()).isTrue();
        assertThat(readDel.realPort()).isEqualTo(8080);
        assertThat(new RealDelFlyweight().wrap(buffer, OFFSET, RealDelFlyweight.LENGTH - 1).isComplete()).isFalse();

        assertThat(new VipDelFlyweight().wrap(buffer, OFFSET, VipDelFlyweight.LENGTH - 1).isComplete()).isFalse();
        final GetConfigFlyweight getConfig = new GetConfigFlyweight().wrap(buffer, OFFSET, GetConfigFlyweight.LENGTH);
        getConfig.textOffset(1234);
        assertThat(getConfig.textOffset()).isEqualTo(1234);
        assertThat(new GetConfigFlyweight().wrap(buffer, OFFSET, GetConfigFlyweight.LENGTH - 1).isComplete()).isFalse();
        assertThat(new GetConfigFlyweight().wrap(buffer, OFFSET, 4).hasCorrelationId()).isFalse();
    }

    @Test
    void replyRoundTripsUtf8Message()
    {
        final ReplyFlyweight writer = new ReplyFlyweight().wrap(buffer, OFFSET, 1024);
        writer.correlationId(99L);
        writer.status(CommandTypes.STATUS_REFUSED);
        writer.message("no VIP 198.18.1.1:80/tcp — sorry");

        final ReplyFlyweight reader = new ReplyFlyweight().wrap(buffer, OFFSET, writer.encodedLength());

        assertThat(reader.isComplete()).isTrue();
        assertThat(reader.correlationId()).isEqualTo(99L);
        assertThat(reader.status()).isEqualTo(CommandTypes.STATUS_REFUSED);
        assertThat(reader.message()).isEqualTo("no VIP 198.18.1.1:80/tcp — sorry");
        assertThat(new ReplyFlyweight().wrap(buffer, OFFSET, writer.encodedLength() - 1).isComplete()).isFalse();
    }

    @Test
    void stringThatDoesNotFitIsRefusedWhenWriting()
    {
        final ReplyFlyweight writer = new ReplyFlyweight().wrap(buffer, 0, 20);

        assertThatThrownBy(() -> writer.message("far too long for twenty bytes")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void configReplyCarriesAChunk()
    {
        final byte[] text = "vip add 198.18.1.1:80/tcp\n".getBytes(StandardCharsets.UTF_8);
        final ConfigReplyFlyweight writer = new ConfigReplyFlyweight().wrap(buffer, OFFSET, 1024);
        writer.correlationId(5L);
        writer.configVersion(3L);
        writer.totalLength(text.length);
        writer.chunkOffset(4);
        writer.chunk(text, 4, 10);

        final ConfigReplyFlyweight reader = new ConfigReplyFlyweight().wrap(buffer, OFFSET, writer.encodedLength());
        final byte[] copy = new byte[10];
        reader.getChunk(copy, 0);

        assertThat(reader.isComplete()).isTrue();
        assertThat(reader.configVersion()).isEqualTo(3L);
        assertThat(reader.totalLength()).isEqualTo(text.length);
        assertThat(reader.chunkOffset()).isEqualTo(4);
        assertThat(new String(copy, StandardCharsets.UTF_8)).isEqualTo("add 198.18");
        assertThat(new ConfigReplyFlyweight().wrap(buffer, OFFSET, writer.encodedLength() - 1).isComplete()).isFalse();

        writer.chunkOffset(text.length - 5);
        assertThat(new ConfigReplyFlyweight().wrap(buffer, OFFSET, writer.encodedLength()).isComplete())
            .as("a chunk reaching past the total length").isFalse();
    }
}
