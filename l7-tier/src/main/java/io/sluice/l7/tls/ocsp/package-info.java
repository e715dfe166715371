/**
 * OCSP responses read from files to be stapled to a certificate ({@code ocsp: FILE}, as
 * HAProxy's {@code .ocsp} files and nginx's {@code ssl_stapling_file}): a strict DER reader
 * ({@link io.sluice.l7.tls.ocsp.Der}), the basic response's structure (RFC 6960,
 * {@link io.sluice.l7.tls.ocsp.BasicOcspResponse}) and the checks a response must pass before it
 * is served ({@link io.sluice.l7.tls.ocsp.OcspStaple#check}): a successful response signed by the
 * certificate's issuer or a responder it delegated to, for this certificate, saying good, and
 * current. Only the JDK: no ASN.1 library for the one structure read here.
 */
package io.sluice.l7.tls.ocsp;
