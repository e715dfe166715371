package io.sluice.l7.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made by Debian's openssl for a test, in a directory of its own: a CA (ECDSA
 * P-256); {@code a} (RSA 2048, a.example) and {@code a2} (ECDSA P-256, a.example too: a renewal
 * of {@code a}); {@code b} (ECDSA P-256, b.example and *.wild.example); {@code client} (a client
 * certificate: client.example and a SPIFFE URI); {@code expired} (valid for one day in 2020);
 * {@code other.key} (matches none of them); {@code tickets.key} (two 48-byte ticket keys);
 * {@code grpc} (ECDSA P-256, grpc.test and 127.0.0.1: a backend's); {@code other-ca} (a CA that
 * signed none of them). For OCSP, through {@code openssl ca} (so its index.txt knows them):
 * {@code stapled} (stapled.example; {@code stapled-chain.pem} is it followed by the CA),
 * {@code revoked} (revoked.example, revoked; {@code revoked-chain.pem}), {@code responder} (a
 * delegated OCSP responder); responses by {@code openssl ocsp}, current for a day:
 * {@code stapled.ocsp} (good, signed by the CA), {@code stapled-delegated.ocsp} (good, signed by
 * the responder), {@code stapled-stranger.ocsp} (signed by other-ca), {@code stapled-undelegated.ocsp}
 * (signed by b, which may not sign OCSP), {@code revoked.ocsp}. {@code tickets80.key}: one ticket
 * key of nginx's 80-byte form. Shared by the tests of TLS to clients and of TLS to backends.
 */
public final class TestCertificates
{
    private static final String SCRIPT = """
        set -euo pipefail
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 30 \\
            -subj "/CN=sluice test CA" 2>/dev/null
        leaf() {
          openssl req -new -newkey "$2" ${3:+-pkeyopt "$3"} -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=$1" 2>/dev/null
          printf 'subjectAltName=%s\\nbasicConstraints=CA:FALSE\\nkeyUsage=digitalSignature,keyEncipherment\\nextendedKeyUsage=%s\\n' \\
              "$4" "${5:-serverAuth}" > "$1.ext"
          openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
        }
        leaf a rsa:2048 "" "DNS:a.example"
        leaf a2 ec ec_paramgen_curve:P-256 "DNS:a.example"
        leaf b ec ec_paramgen_curve:P-256 "DNS:b.example,DNS:*.wild.example"
        leaf client ec ec_paramgen_curve:P-256 "DNS:client.example,URI:spiffe://sluice/test" clientAuth
        leaf grpc ec ec_paramgen_curve:P-256 "DNS:grpc.test,IP:127.0.0.1"
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other-ca.key -out other-ca.pem -days 30 \\
            -subj "/CN=another CA" 2>/dev/null
        printf '[ca]\\ndefault_ca = test\\n[test]\\ndatabase = index.txt\\nnew_certs_dir = .\\nserial = serial\\n' > ca.cnf
        printf 'default_md = sha256\\npolicy = any\\ncopy_extensions = copy\\n[any]\\ncommonName = supplied\\n' >> ca.cnf
        : > index.txt; echo 1000 > serial
        openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout expired.key -out expired.csr \\
            -subj "/CN=expired" -addext "subjectAltName=DNS:expired.example" 2>/dev/null
        openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr -out expired.pem \\
            -startdate 20200101000000Z -enddate 20200102000000Z -notext 2>/dev/null
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other.key 2>/dev/null
        openssl rand 96 > tickets.key
        ca_leaf() {
          openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=$1" \\
              -addext "$2" 2>/dev/null
          openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in "$1.csr" -out "$1.pem" -days 30 -notext 2>/dev/null
        }
        ca_leaf stapled "subjectAltName=DNS:stapled.example"
        ca_leaf revoked "subjectAltName=DNS:revoked.example"
        ca_leaf responder "extendedKeyUsage=OCSPSigning"
        openssl ca -config ca.cnf -cert ca.pem -keyfile ca.key -revoke revoked.pem 2>/dev/null
        cat stapled.pem ca.pem > stapled-chain.pem
        cat revoked.pem ca.pem > revoked-chain.pem
        ocsp() {
          openssl ocsp -index index.txt -CA ca.pem -issuer ca.pem -cert "$1.pem" -rsigner "$2.pem" -rkey "$2.key" -ndays 1 \\
              -respout "$3" > /dev/null 2>&1
        }
        ocsp stapled ca stapled.ocsp
        ocsp stapled responder stapled-delegated.ocsp
        ocsp stapled other-ca stapled-stranger.ocsp
        ocsp stapled b stapled-undelegated.ocsp
        ocsp revoked ca revoked.ocsp
        openssl rand 80 > tickets80.key
        """;

    private final Path directory;

    private TestCertificates(final Path directory)
    {
        this.directory = directory;
    }

    public static TestCertificates makeIn(final Path directory) throws IOException, InterruptedException
    {
        final Process openssl = new ProcessBuilder("bash", "-c", SCRIPT).directory(directory.toFile()).redirectErrorStream(true).start();
        final String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0)
        {
            throw new IllegalStateException("openssl could not make the test certificates: " + output);
        }
        return new TestCertificates(directory);
    }

    public Path file(final String name)
    {
        return directory.resolve(name);
    }

    /**
     * Puts a copy of {@code name} in place of {@code served} (a file beside it) as a renewal does:
     * written beside, then renamed over it, so a reader sees the old file or the new one whole.
     */
    public void renew(final String name, final String served) throws IOException
    {
        final Path written = directory.resolve(served + ".new");
        Files.copy(file(name), written, StandardCopyOption.REPLACE_EXISTING);
        Files.move(written, directory.resolve(served), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The file's path as YAML text. */
    public String path(final String name)
    {
        return file(name).toString();
    }
}
