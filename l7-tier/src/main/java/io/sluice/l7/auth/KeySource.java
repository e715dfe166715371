package io.sluice.l7.auth;

import java.util.concurrent.CompletableFuture;

/** Where a route's signing keys come from: a file read with the configuration, or a JWKS URL ({@link RemoteKeys}). */
interface KeySource
{
    /** The keys to check with now; null while none is known yet. May start a refresh, never waits for one. */
    KeySet current();

    /** Completes (never exceptionally) once the first fetch is over, whatever it gave: then ask {@link #current} again. */
    default CompletableFuture<Void> firstKeys()
    {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * A token names a key id none of the keys has: the keys may have rotated. Completes (never exceptionally) when a
     * fetch that may bring it is over; null when none will be made (a file, or a fetch for an unknown key was made
     * less than the route's interval ago).
     */
    default CompletableFuture<Void> unknownKey()
    {
        return null;
    }
}
