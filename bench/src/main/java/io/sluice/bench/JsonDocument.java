package io.sluice.bench;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The JSON body of the side-by-side harnesses, byte for byte: what {@code bench/lib/json-documents.awk}
 * writes for a seed and a size (an array of records like an API's list response, padded with a
 * pretty-printer's whitespace), so that a microbenchmark compresses exactly what run-compress's
 * backends serve. The values come from the same Park-Miller generator, seeded the same way.
 */
final class JsonDocument
{
    private static final String[] FIRST = ("Ada Alan Barbara Claude Dennis Edsger Frances Grace John Ken Leslie Margaret"
        + " Niklaus Radia Tony Whitfield").split(" ");
    private static final String[] LAST = ("Lovelace Turing Liskov Shannon Ritchie Dijkstra Allen Hopper Backus Thompson"
        + " Lamport Hamilton Wirth Perlman Hoare Diffie").split(" ");
    private static final String[] REGION = ("eu-west-1 eu-west-3 eu-central-1 us-east-1 us-west-2 ap-south-1 ap-northeast-1"
        + " sa-east-1").split(" ");
    private static final String[] STATUS = "active pending suspended closed trial".split(" ");
    private static final String[] TAG = ("alpha beta gamma delta beta-tester early-adopter enterprise free pro vip"
        + " legacy").split(" ");

    private long state;

    private JsonDocument(final long seed)
    {
        state = seed;
    }

    /** The awk script's document 0 for {@code seed}, exactly {@code bytes} long. */
    static byte[] of(final int seed, final int bytes)
    {
        return new JsonDocument(seed).document(bytes).getBytes(StandardCharsets.US_ASCII);
    }

    private String document(final int bytes)
    {
        final StringBuilder body = new StringBuilder("[");
        int id = 100000;
        while (true)
        {
            final String record = record(id++);
            if (body.length() + record.length() + 2 > bytes)
            {
                break;
            }
            body.append(body.length() > 1 ? ",\n" : "\n").append(record);
        }
        final int pad = bytes - body.length() - 1;
        for (int i = 0; i < pad; i++)
        {
            body.append(i == 0 ? '\n' : ' ');
        }
        return body.append(']').toString();
    }

    private int nextInt(final int n)
    {
        state = state * 16807 % 2147483647;
        return (int)(state % n);
    }

    private String pick(final String[] list)
    {
        return list[nextInt(list.length)];
    }

    /** The awk's sprintf, its arguments taken from the generator in the same order. */
    private String record(final int id)
    {
        final int tagCount = nextInt(3) + 1;
        final StringBuilder tags = new StringBuilder();
        for (int i = 0; i < tagCount; i++)
        {
            tags.append(i == 0 ? "" : ",").append('"').append(pick(TAG)).append('"');
        }
        final String first = pick(FIRST);
        final String last = pick(LAST);
        final String mailFirst = pick(FIRST).toLowerCase(Locale.ROOT);
        final String mailLast = pick(LAST).toLowerCase(Locale.ROOT);
        final int mailNumber = nextInt(100);
        final String active = nextInt(4) != 0 ? "true" : "false";
        final int score = nextInt(1000);
        final int cents = nextInt(100);
        final String region = pick(REGION);
        final String status = pick(STATUS);
        final int month = nextInt(12) + 1;
        final int day = nextInt(28) + 1;
        final int hour = nextInt(24);
        final int minute = nextInt(60);
        final int second = nextInt(60);
        final int items = nextInt(50);
        return String.format(Locale.ROOT, "{\"id\":%d,\"name\":\"%s %s\",\"email\":\"%s.%s%d@example.org\",\"active\":%s,"
            + "\"score\":%d.%02d,\"region\":\"%s\",\"status\":\"%s\",\"created\":\"2026-%02d-%02dT%02d:%02d:%02dZ\","
            + "\"tags\":[%s],\"items\":%d}", id, first, last, mailFirst, mailLast, mailNumber, active, score, cents, region,
            status, month, day, hour, minute, second, tags, items);
    }
}
