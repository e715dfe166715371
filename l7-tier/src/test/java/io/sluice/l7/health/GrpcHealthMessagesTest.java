package io.sluice.l7.health;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class GrpcHealthMessagesTest
{
    @Test
    void wholeServerRequestIsAnEmptyMessage()
    {
        assertThat(GrpcHealthMessages.request("")).containsExactly(0, 0, 0, 0, 0);
    }

    @Test
    void namedServiceIsFieldOne()
    {
        assertThat(GrpcHealthMessages.request("svc")).containsExactly(0, 0, 0, 0, 5, 0x0A, 3, 's', 'v', 'c');
    }

    @Test
    void readsTheStatusField()
    {
        assertThat(GrpcHealthMessages.response(1)).containsExactly(0, 0, 0, 0, 2, 0x08, 1);
        for (int status = 0; status <= 3; status++)
        {
            final byte[] framed = GrpcHealthMessages.response(status);
            assertThat(GrpcHealthMessages.servingStatus(framed, framed.length)).isEqualTo(status);
        }
    }

    @Test
    void skipsUnknownFields()
    {
        // field 2 string "x", field 3 fixed32, field 1 = NOT_SERVING, field 4 fixed64
        final byte[] framed = {0, 0, 0, 0, 19, 0x12, 1, 'x', 0x1D, 1, 2, 3, 4, 0x08, 2, 0x21, 1, 2, 3, 4, 5, 6, 7, 8};
        assertThat(GrpcHealthMessages.servingStatus(framed, framed.length)).isEqualTo(2);
    }

    @Test
    void refusesWhatIsNotAHealthResponse()
    {
        assertThat(GrpcHealthMessages.servingStatus(new byte[] {0, 0, 0}, 3)).as("short prefix").isEqualTo(GrpcHealthMessages.MALFORMED);
        assertThat(GrpcHealthMessages.servingStatus(new byte[] {1, 0, 0, 0, 2, 0x08, 1}, 7)).as("compressed").isEqualTo(GrpcHealthMessages.MALFORMED);
        assertThat(GrpcHealthMessages.servingStatus(new byte[] {0, 0, 0, 0, 9, 0x08, 1}, 7)).as("truncated").isEqualTo(GrpcHealthMessages.MALFORMED);
        assertThat(GrpcHealthMessages.servingStatus(new byte[] {0, 0, 0, 0, 2, 0x08, (byte)0x81}, 7)).as("cut varint").isEqualTo(GrpcHealthMessages.MALFORMED);
        assertThat(GrpcHealthMessages.servingStatus(new byte[] {0, 0, 0, 0, 2, 0x12, 5}, 7)).as("field past the end").isEqualTo(GrpcHealthMessages.MALFORMED);
        assertThat(GrpcHealthMessages.servingStatus(new byte[] {0, 0, 0, 0, 1, 0x0B}, 6)).as("group").isEqualTo(GrpcHealthMessages.MALFORMED);
    }

    @Test
    void namesTheStatuses()
    {
        assertThat(GrpcHealthMessages.statusName(2)).isEqualTo("NOT_SERVING");
        assertThat(GrpcHealthMessages.statusName(3)).isEqualTo("SERVICE_UNKNOWN");
        assertThat(GrpcHealthMessages.statusName(9)).isEqualTo("status 9");
    }
}
