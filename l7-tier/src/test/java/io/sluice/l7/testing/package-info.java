/**
 * Fixtures shared by the L7 tier's tests in several packages: the test certificates Debian's
 * openssl makes for TLS to clients and TLS to backends.
 */
package io.sluice.l7.testing;
