package io.sluice.l7.tls.ocsp;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * An OCSP response as RFC 6960 4.2.1 has it, read strictly from its DER: only a successful one of
 * the basic type gets this far, its signed part kept as bytes for the signature's check.
 *
 * @param signed             {@code tbsResponseData}'s encoding, which the signature covers.
 * @param signatureAlgorithm the signature algorithm's OID.
 * @param signatureParams    its parameters' encoding (RSASSA-PSS has some), or null.
 * @param responderName      the responder, by name; null when it is named by key.
 * @param responderKeyHash   the responder, by the SHA-1 of its public key; null when it is named by name.
 * @param certificates       those the responder sent along (a delegated responder's own).
 */
record BasicOcspResponse(byte[] signed, String signatureAlgorithm, byte[] signatureParams, byte[] signature,
    X500Principal responderName, byte[] responderKeyHash, List<SingleResponse> responses, List<X509Certificate> certificates)
{
    /** id-pkix-ocsp-basic. */
    static final String BASIC = "1.3.6.1.5.5.7.48.1.1";
    /** OCSPResponseStatus's names, by value (4 is not used). */
    private static final String[] STATUSES = {"successful", "malformedRequest", "internalError", "tryLater", "4",
        "sigRequired", "unauthorized"};

    /** What a response says of one certificate. */
    enum Status
    {
        GOOD, REVOKED, UNKNOWN
    }

    /**
     * One certificate's status.
     *
     * @param hashAlgorithm  the OID of the hash the certificate's issuer is identified by.
     * @param revokedAt      when it was revoked, or null.
     * @param nextUpdate     null when the responder gave none.
     */
    record SingleResponse(String hashAlgorithm, byte[] issuerNameHash, byte[] issuerKeyHash, BigInteger serial, Status status,
        Instant revokedAt, Instant thisUpdate, Instant nextUpdate)
    {
    }

    /**
     * @throws IllegalArgumentException the reason, as words that follow the file's name: {@code is not
     *                                  a DER OCSP response: ...}, {@code is an unsuccessful OCSP response (tryLater)}.
     */
    static BasicOcspResponse parse(final byte[] der)
    {
        final Der response;
        final int status;
        try
        {
            final Der outer = Der.of(der);
            response = outer.read(Der.SEQUENCE, "OCSPResponse").contents();
            outer.finish("OCSPResponse");
            status = response.read(Der.ENUMERATED, "responseStatus").enumerated();
        }
        catch (final IllegalArgumentException ex)
        {
            throw malformed(ex);
        }
        if (status != 0)
        {
            throw new IllegalArgumentException("is an unsuccessful OCSP response ("
                + (status < STATUSES.length ? STATUSES[status] : "status " + status) + ")");
        }
        final String type;
        final byte[] basic;
        try
        {
            final Der bytes = response.read(Der.constructed(0), "responseBytes").contents().read(Der.SEQUENCE, "ResponseBytes")
                .contents();
            response.finish("OCSPResponse");
            type = bytes.read(Der.OID, "responseType").oid();
            basic = bytes.read(Der.OCTET_STRING, "response").value();
            bytes.finish("ResponseBytes");
        }
        catch (final IllegalArgumentException ex)
        {
            throw malformed(ex);
        }
        if (!BASIC.equals(type))
        {
            throw new IllegalArgumentException("is not a basic OCSP response (its type is " + type + ")");
        }
        try
        {
            return basic(basic);
        }
        catch (final IllegalArgumentException ex)
        {
            throw malformed(ex);
        }
    }

    private static IllegalArgumentException malformed(final IllegalArgumentException ex)
    {
        return new IllegalArgumentException("is not a DER OCSP response: " + ex.getMessage());
    }

    private static BasicOcspResponse basic(final byte[] der)
    {
        final Der outer = Der.of(der);
        final Der basic = outer.read(Der.SEQUENCE, "BasicOCSPResponse").contents();
        outer.finish("BasicOCSPResponse");
        final Der.Element tbs = basic.read(Der.SEQUENCE, "tbsResponseData");
        final Der algorithm = basic.read(Der.SEQUENCE, "signatureAlgorithm").contents();
        final String signatureAlgorithm = algorithm.read(Der.OID, "signatureAlgorithm").oid();
        byte[] params = null;
        if (algorithm.hasMore())
        {
            final Der.Element parameters = algorithm.read(Der.SEQUENCE, "signatureAlgorithm parameters");
            params = parameters.encoded();
        }
        algorithm.finish("signatureAlgorithm");
        final byte[] signature = basic.read(Der.BIT_STRING, "signature").bits();
        final List<X509Certificate> certificates = new ArrayList<>();
        if (basic.nextIs(Der.constructed(0)))
        {
            final Der certs = basic.read(Der.constructed(0), "certs").contents();
            final Der list = certs.read(Der.SEQUENCE, "certs").contents();
            certs.finish("certs");
            while (list.hasMore())
            {
                certificates.add(certificate(list.read(Der.SEQUENCE, "certs[" + certificates.size() + "]").encoded()));
            }
        }
        basic.finish("BasicOCSPResponse");

        final Der data = tbs.contents();
        if (data.nextIs(Der.constructed(0)))
        {
            final Der version = data.read(Der.constructed(0), "version").contents();
            if (version.read(Der.INTEGER, "version").integer().signum() != 0)
            {
                throw new IllegalArgumentException("version is not v1");
            }
            version.finish("version");
        }
        X500Principal responderName = null;
        byte[] responderKeyHash = null;
        if (data.nextIs(Der.constructed(1)))
        {
            final Der byName = data.read(Der.constructed(1), "responderID byName").contents();
            responderName = new X500Principal(byName.read(Der.SEQUENCE, "responderID byName").encoded());
            byName.finish("responderID byName");
        }
        else
        {
            final Der byKey = data.read(Der.constructed(2), "responderID").contents();
            responderKeyHash = byKey.read(Der.OCTET_STRING, "responderID byKey").value();
            byKey.finish("responderID byKey");
        }
        data.read(Der.GENERALIZED_TIME, "producedAt").generalizedTime();
        final Der list = data.read(Der.SEQUENCE, "responses").contents();
        final List<SingleResponse> responses = new ArrayList<>();
        while (list.hasMore())
        {
            responses.add(single(list.read(Der.SEQUENCE, "responses[" + responses.size() + "]").contents()));
        }
        if (data.nextIs(Der.constructed(1)))
        {
            data.read(Der.constructed(1), "responseExtensions");
        }
        data.finish("tbsResponseData");
        return new BasicOcspResponse(tbs.encoded(), signatureAlgorithm, params, signature, responderName, responderKeyHash,
            responses, certificates);
    }

    private static SingleResponse single(final Der single)
    {
        final Der id = single.read(Der.SEQUENCE, "certID").contents();
        final Der hash = id.read(Der.SEQUENCE, "hashAlgorithm").contents();
        final String hashAlgorithm = hash.read(Der.OID, "hashAlgorithm").oid();
        if (hash.nextIs(Der.NULL))
        {
            hash.read(Der.NULL, "hashAlgorithm parameters");
        }
        hash.finish("hashAlgorithm");
        final byte[] nameHash = id.read(Der.OCTET_STRING, "issuerNameHash").value();
        final byte[] keyHash = id.read(Der.OCTET_STRING, "issuerKeyHash").value();
        final BigInteger serial = id.read(Der.INTEGER, "serialNumber").integer();
        id.finish("certID");
        Status status;
        Instant revokedAt = null;
        if (single.nextIs(Der.primitive(0)))
        {
            single.read(Der.primitive(0), "certStatus good");
            status = Status.GOOD;
        }
        else if (single.nextIs(Der.constructed(1)))
        {
            final Der revoked = single.read(Der.constructed(1), "certStatus revoked").contents();
            revokedAt = revoked.read(Der.GENERALIZED_TIME, "revocationTime").generalizedTime();
            if (revoked.nextIs(Der.constructed(0)))
            {
                revoked.read(Der.constructed(0), "revocationReason");
            }
            revoked.finish("RevokedInfo");
            status = Status.REVOKED;
        }
        else
        {
            single.read(Der.primitive(2), "certStatus");
            status = Status.UNKNOWN;
        }
        final Instant thisUpdate = single.read(Der.GENERALIZED_TIME, "thisUpdate").generalizedTime();
        Instant nextUpdate = null;
        if (single.nextIs(Der.constructed(0)))
        {
            final Der next = single.read(Der.constructed(0), "nextUpdate").contents();
            nextUpdate = next.read(Der.GENERALIZED_TIME, "nextUpdate").generalizedTime();
            next.finish("nextUpdate");
        }
        if (single.nextIs(Der.constructed(1)))
        {
            single.read(Der.constructed(1), "singleExtensions");
        }
        single.finish("SingleResponse");
        return new SingleResponse(hashAlgorithm, nameHash, keyHash, serial, status, revokedAt, thisUpdate, nextUpdate);
    }

    private static X509Certificate certificate(final byte[] der)
    {
        try
        {
            return (X509Certificate)CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        }
        catch (final CertificateException ex)
        {
            throw new IllegalArgumentException("a certificate it carries cannot be parsed: " + ex.getMessage());
        }
    }
}
