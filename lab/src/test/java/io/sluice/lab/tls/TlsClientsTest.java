package io.sluice.lab.tls;

import io.sluice.lab.ExecResult;
import io.sluice.lab.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lab's TLS files and clients against {@code openssl s_server} on loopback (no namespaces):
 * the certificate verifies for the name and the address, curl's answer and s_client's new and
 * resumed sessions are read as the clients reported them.
 */
class TlsClientsTest
{
    private static final String NAME = "vip.sluice.test";
    private static final String ADDRESS = "127.0.0.1";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    Path directory;

    private VipTlsFiles files;
    private Process server;
    private int port;

    @BeforeEach
    void startServer() throws IOException, InterruptedException
    {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")) && Files.isExecutable(Path.of("/usr/bin/curl")),
            "needs Debian's openssl and curl (./sluice test installs them)");
        files = VipTlsFiles.make(directory.resolve("tls"), NAME, ADDRESS);
        port = freePort();
        // -www answers every request with a status page, as HTTP/1.0, and closes
        server = new ProcessBuilder("openssl", "s_server", "-accept", ADDRESS + ":" + port, "-cert", files.cert().toString(),
            "-key", files.key().toString(), "-www").redirectErrorStream(true)
            .redirectOutput(directory.resolve("server.log").toFile()).start();
        awaitListening();
    }

    @AfterEach
    void stopServer()
    {
        if (server != null)
        {
            Processes.stop(server);
        }
    }

    @Test
    void filesAreACaACertificateForTheNameAndAddressAndAPrivateTicketKey() throws IOException
    {
        final ExecResult verified = Processes.run(List.of("openssl", "verify", "-CAfile", files.ca().toString(),
            "-verify_hostname", NAME, files.cert().toString()), TIMEOUT);
        assertThat(verified.stdout()).contains(": OK");
        final ExecResult text = Processes.run(List.of("openssl", "x509", "-in", files.cert().toString(), "-noout", "-ext",
            "subjectAltName"), TIMEOUT).orThrow();
        assertThat(text.stdout()).contains("DNS:" + NAME, "IP Address:" + ADDRESS);
        assertThat(Files.readAllBytes(files.ticketKeys())).hasSize(VipTlsFiles.TICKET_KEY_BYTES);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.ticketKeys()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.key()))).isEqualTo("rw-------");
        assertThat(files.commands()).hasSize(3).allMatch((command) -> command.startsWith("openssl "));
    }

    @Test
    void curlsAnswerIsReadWithItsVersionStatusAndHeaders()
    {
        final HttpsGet.Answer answer = get(files.ca());

        assertThat(answer.ok()).as(answer.error()).isTrue();
        assertThat(answer.version()).isEqualTo("1.0");
        assertThat(answer.headers()).containsEntry("content-type", "text/html");
    }

    @Test
    void curlsRefusalOfAnUntrustedCertificateIsItsError()
    {
        final Path otherCa = VipTlsFiles.make(directory.resolve("other"), NAME, ADDRESS).ca();

        final HttpsGet.Answer answer = get(otherCa);

        assertThat(answer.ok()).isFalse();
        assertThat(answer.exitCode()).isEqualTo(60);
        assertThat(answer.error()).contains("certificate");
    }

    @Test
    void sessionSavedByOneConnectionIsReusedByTheNext()
    {
        final Path session = directory.resolve("session.pem");

        final SessionClient.Connection first = connect(SessionClient.SAVE, session);
        final SessionClient.Connection second = connect(SessionClient.OFFER, session);

        assertThat(first.summary()).startsWith("New, TLSv1.3, TLS_");
        assertThat(first.verified()).isTrue();
        assertThat(first.reused()).isFalse();
        assertThat(first.headers()).containsEntry("content-type", "text/html");
        assertThat(second.summary()).startsWith("Reused, TLSv1.3, TLS_");
        assertThat(second.reused()).isTrue();
    }

    @Test
    void noHandshakeIsSaidInOneLine()
    {
        Processes.stop(server);

        final SessionClient.Connection refused = connect(SessionClient.SAVE, directory.resolve("session.pem"));

        assertThat(refused.handshakeDone()).isFalse();
        assertThat(refused.summary()).startsWith("no handshake: s_client exited 1").doesNotContain("\n");
        assertThat(refused.headers()).isEqualTo(Map.of());
    }

    private HttpsGet.Answer get(final Path ca)
    {
        return HttpsGet.parse(Processes.run(HttpsGet.command(ca, NAME, ADDRESS, port, "/"), TIMEOUT));
    }

    private SessionClient.Connection connect(final String sessionOption, final Path session)
    {
        return SessionClient.parse(Processes.run(SessionClient.command(files.ca(), NAME, ADDRESS, port, sessionOption, session),
            Path.of(""), SessionClient.request(NAME, "/"), TIMEOUT));
    }

    private void awaitListening() throws InterruptedException, IOException
    {
        final long deadlineNs = System.nanoTime() + TIMEOUT.toNanos();
        while (true)
        {
            try (Socket ignored = new Socket(ADDRESS, port))
            {
                return;
            }
            catch (final IOException ex)
            {
                if (!server.isAlive() || System.nanoTime() - deadlineNs > 0)
                {
                    throw new IOException("openssl s_server did not listen: " +
                        Files.readString(directory.resolve("server.log")), ex);
                }
                Thread.sleep(20);
            }
        }
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket())
        {
            socket.bind(new InetSocketAddress(ADDRESS, 0));
            return socket.getLocalPort();
        }
    }
}
