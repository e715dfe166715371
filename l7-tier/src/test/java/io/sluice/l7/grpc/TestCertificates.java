package io.sluice.l7.grpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test CA and certificates it signs, made with the openssl command (ECDSA P-256, valid two
 * days): a server's for {@code grpc.test} and 127.0.0.1, and a client's. Deleted with the directory.
 */
final class TestCertificates implements AutoCloseable
{
    final Path dir;
    final Path ca;
    final Path serverCert;
    final Path serverKey;
    final Path clientCert;
    final Path clientKey;
    /** A CA that signed none of them. */
    final Path otherCa;

    TestCertificates()
    {
        try
        {
            dir = Files.createTempDirectory("sluice-h2-tls");
            ca = dir.resolve("ca.pem");
            otherCa = dir.resolve("other-ca.pem");
            serverCert = dir.resolve("server.pem");
            serverKey = dir.resolve("server.key");
            clientCert = dir.resolve("client.pem");
            clientKey = dir.resolve("client.key");
            selfSigned("ca", "sluice test CA");
            selfSigned("other-ca", "another CA");
            signed("server", "grpc.test", "subjectAltName=DNS:grpc.test,IP:127.0.0.1");
            signed("client", "sluice proxy", "extendedKeyUsage=clientAuth");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private void selfSigned(final String name, final String subject) throws IOException
    {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
            "-keyout", name + ".key", "-out", name + ".pem", "-subj", "/CN=" + subject);
    }

    private void signed(final String name, final String subject, final String extensions) throws IOException
    {
        Files.writeString(dir.resolve(name + ".ext"), extensions + "\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key",
            "-out", name + ".csr", "-subj", "/CN=" + subject);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
            "-out", name + ".pem", "-extfile", name + ".ext");
    }

    private void openssl(final String... arguments) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        final Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try
        {
            final String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
    }

    @Override
    public void close() throws IOException
    {
        try (var files = Files.list(dir))
        {
            for (final Path file : files.toList())
            {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }
}
