package io.sluice.lab.tls;

import io.sluice.lab.CommandText;
import io.sluice.lab.ExecResult;
import io.sluice.lab.Processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What an HTTPS listener on a lab VIP needs, made in a directory of its own: a CA made for the
 * run, a server certificate it signs (ECDSA P-256) whose subjectAltName holds both the VIP's name
 * and its address, so a client verifies either, and a session ticket key file for every proxy of
 * the VIP to read, so each resumes the sessions the others issued. The certificates are made by
 * Debian's openssl as a person would make them, and the commands are kept for the demo to show.
 *
 * @param ca         the CA's certificate, for clients to trust ({@code curl --cacert}, {@code s_client -CAfile}).
 * @param cert       the server certificate, for {@code vip.sluice.test} and the VIP's address say.
 * @param key        its private key (unencrypted PKCS#8, mode 0600 as openssl writes it).
 * @param ticketKeys one 48-byte session ticket key (a 16-byte name, AES key and HMAC key), random, mode 0600.
 * @param commands   the openssl commands that made the certificates, run in {@code directory}.
 */
public record VipTlsFiles(Path directory, Path ca, Path cert, Path key, Path ticketKeys, List<String> commands)
{
    public static final int TICKET_KEY_BYTES = 48;

    /** The files live as long as the lab that uses them: a day is plenty. */
    private static final String DAYS = "1";
    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Makes the files in {@code directory} (created, mode 0700, if it is not there).
     *
     * @param name    the VIP's DNS name, sent as SNI by clients.
     * @param address the VIP's address.
     * @throws IllegalStateException with openssl's message when it fails.
     */
    public static VipTlsFiles make(final Path directory, final String name, final String address)
    {
        final List<List<String>> steps = List.of(
            List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", DAYS, "-subj", "/CN=sluice lab CA"),
            List.of("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "vip.key", "-out", "vip.csr", "-subj", "/CN=" + name,
                "-addext", "subjectAltName=DNS:" + name + ",IP:" + address),
            List.of("openssl", "x509", "-req", "-in", "vip.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-days", DAYS,
                "-copy_extensions", "copy", "-out", "vip.pem"));
        try
        {
            Files.createDirectories(directory,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            final List<String> commands = new ArrayList<>(steps.size());
            for (final List<String> step : steps)
            {
                final ExecResult result = Processes.run(step, directory, "", OPENSSL_TIMEOUT);
                if (!result.ok())
                {
                    throw new IllegalStateException(CommandText.of(step) + " exited " + result.exitCode() + ": " +
                        String.join(" ", result.stderrLines()));
                }
                commands.add(CommandText.of(step));
            }
            final Path ticketKeys = directory.resolve("tickets.key");
            writeRandomKey(ticketKeys);
            return new VipTlsFiles(directory, directory.resolve("ca.pem"), directory.resolve("vip.pem"),
                directory.resolve("vip.key"), ticketKeys, List.copyOf(commands));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot make the TLS files in " + directory, ex);
        }
    }

    /** Created readable by its owner alone before a byte is written, so the key is never readable by others. */
    private static void writeRandomKey(final Path file) throws IOException
    {
        final byte[] key = new byte[TICKET_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, key);
    }
}
