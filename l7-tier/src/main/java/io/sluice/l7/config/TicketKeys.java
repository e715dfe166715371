package io.sluice.l7.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ticket_keys: FILE}: session ticket keys shared by every proxy that reads the same file,
 * so a client resumes its session on any of them. The file is one or more 48-byte keys (nginx's
 * 48-byte {@code ssl_session_ticket_key} layout: a 16-byte name, a 16-byte AES key, a 16-byte
 * HMAC key; {@code openssl rand 48 > tickets.key} makes one); the first key issues tickets, all
 * of them accept tickets, so a rotation puts the new key first and keeps the old one after it
 * for a ticket lifetime. nginx's 80-byte form (AES-256 and a 32-byte HMAC key) is refused: netty-tcnative's
 * ticket callback encrypts with AES-128-CBC and a 16-byte HMAC-SHA256 key, whatever it is given.
 *
 * @param keys  each key's 48 bytes, in file order.
 * @param where the {@code ticket_keys} key's place in the file.
 */
public record TicketKeys(Path file, List<byte[]> keys, String where)
{
    /** Bytes per key. */
    public static final int KEY_BYTES = 48;
    /** Bytes per key in nginx's AES-256 form, which the native engine cannot use. */
    public static final int AES256_KEY_BYTES = 80;
    /** Offsets in a key of its parts, each {@link #PART_BYTES} long. */
    public static final int NAME_AT = 0;
    public static final int AES_AT = 16;
    public static final int HMAC_AT = 32;
    public static final int PART_BYTES = 16;

    public TicketKeys
    {
        final List<byte[]> copies = new ArrayList<>(keys.size());
        for (final byte[] key : keys)
        {
            copies.add(key.clone());
        }
        keys = List.copyOf(copies);
    }
}
