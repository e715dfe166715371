/**
 * TLS in the lab, with Debian's openssl and curl as a person would use them:
 * {@link io.sluice.lab.tls.VipTlsFiles} makes a CA, a certificate for a VIP's name and address and
 * a random session ticket key file in a directory; {@link io.sluice.lab.tls.HttpsGet} sends one
 * HTTPS request by curl over a new connection, the certificate verified; and
 * {@link io.sluice.lab.tls.SessionClient} runs {@code openssl s_client} to save a TLS session or
 * offer a saved one and says whether the server resumed it. Each runs inside a lab host and
 * reads the client's own output, so what it reports is what a real client saw.
 */
package io.sluice.lab.tls;
