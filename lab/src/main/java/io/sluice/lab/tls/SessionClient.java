package io.sluice.lab.tls;

import io.sluice.lab.ExecResult;
import io.sluice.lab.Lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One TLS connection by {@code openssl s_client} from a lab host that saves its session to a file
 * ({@code -sess_out}) or offers the one saved there ({@code -sess_in}), sends one HTTP/1.1 GET that
 * asks the server to close, and reads the answer to its end. Reading to the end matters: a TLS 1.3
 * server sends its session tickets after the handshake, and s_client saves only what it has read.
 * Whether the session was resumed is s_client's own word ({@code New} or {@code Reused}).
 */
public final class SessionClient
{
    /** Saves the session the server gives. */
    public static final String SAVE = "-sess_out";
    /** Offers a saved session for resumption. */
    public static final String OFFER = "-sess_in";

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** "Reused, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384" (or "New, ..."), once per connection. */
    private static final Pattern SESSION = Pattern.compile("^(New|Reused), (\\S+), Cipher is (\\S+)", Pattern.MULTILINE);
    private static final Pattern VERIFIED = Pattern.compile("^\\s*Verify return code: 0 \\(ok\\)", Pattern.MULTILINE);

    /**
     * What the connection showed.
     *
     * @param session  {@code New} (a full handshake) or {@code Reused} (resumed); empty when no handshake finished.
     * @param protocol the TLS version ({@code TLSv1.3}).
     * @param cipher   the cipher suite.
     * @param verified whether the server's certificate verified against the CA file for the name sent.
     * @param headers  the HTTP answer's headers, names lower-cased.
     * @param error    the end of what s_client said when no handshake finished, empty otherwise.
     */
    public record Connection(String session, String protocol, String cipher, boolean verified, Map<String, String> headers,
        String error)
    {
        public boolean handshakeDone()
        {
            return !session.isEmpty();
        }

        public boolean reused()
        {
            return "Reused".equals(session);
        }

        /** {@code Reused, TLSv1.3, TLS_AES_256_GCM_SHA384} as s_client says it, or what went wrong. */
        public String summary()
        {
            return handshakeDone() ? session + ", " + protocol + ", " + cipher : "no handshake: " + error;
        }

        /** One header by its lower-case name, or {@code fallback}. */
        public String header(final String name, final String fallback)
        {
            return headers.getOrDefault(name, fallback);
        }
    }

    private SessionClient()
    {
    }

    /**
     * {@code openssl s_client -connect ADDRESS:PORT -servername NAME -CAfile CA -verify_hostname NAME -ign_eof
     * -sess_out|-sess_in FILE}.
     *
     * @param sessionOption {@link #SAVE} or {@link #OFFER}.
     */
    public static List<String> command(final Path ca, final String name, final String address, final int port,
        final String sessionOption, final Path sessionFile)
    {
        if (!SAVE.equals(sessionOption) && !OFFER.equals(sessionOption))
        {
            throw new IllegalArgumentException("'" + sessionOption + "' is neither " + SAVE + " nor " + OFFER);
        }
        return List.of("openssl", "s_client", "-connect", address + ":" + port, "-servername", name, "-CAfile", ca.toString(),
            "-verify_hostname", name, "-ign_eof", sessionOption, sessionFile.toString());
    }

    /** Runs {@code command} (from {@link #command}) in {@code host}, sending GET {@code path} to {@code name}. */
    public static Connection run(final Lab lab, final String host, final List<String> command, final String name,
        final String path)
    {
        return parse(lab.execWithInput(TIMEOUT, host, request(name, path), command.toArray(String[]::new)));
    }

    /** A GET that asks the server to close once it has answered, so s_client reads to the end and exits. */
    static String request(final String name, final String path)
    {
        return "GET " + path + " HTTP/1.1\r\nHost: " + name + "\r\nConnection: close\r\n\r\n";
    }

    static Connection parse(final ExecResult result)
    {
        final String output = result.stdout();
        final Matcher session = SESSION.matcher(output);
        if (!session.find())
        {
            final List<String> said = result.stderrLines();
            return new Connection("", "", "", false, Map.of(),
                "s_client exited " + result.exitCode() + (said.isEmpty() ? "" : ": " + said.getLast()));
        }
        return new Connection(session.group(1), session.group(2), session.group(3), VERIFIED.matcher(output).find(),
            answerHeaders(output), "");
    }

    /** The headers of the HTTP answer in s_client's output: from its status line to the first empty line. */
    private static Map<String, String> answerHeaders(final String output)
    {
        final Map<String, String> headers = new TreeMap<>();
        boolean inHead = false;
        for (final String line : output.lines().map(String::strip).toList())
        {
            if (!inHead)
            {
                inHead = line.startsWith("HTTP/1.");
            }
            else if (line.isEmpty())
            {
                break;
            }
            else
            {
                HttpsGet.putHeader(headers, line);
            }
        }
        return headers;
    }
}
