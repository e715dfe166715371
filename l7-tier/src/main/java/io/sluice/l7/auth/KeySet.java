package io.sluice.l7.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The public keys a route checks signatures with, each turned into a Java key once. A key is a
 * candidate for a token only when its type is the one the token's algorithm needs (RSA for RS*
 * and PS*, EC on the algorithm's curve for ES*) and its {@code use} and {@code alg}, when it names
 * them, agree: an RSA key is never offered to an ES256 check, nor any public key to an HMAC.
 */
final class KeySet
{
    /** A key and its Java form. */
    record Entry(JWK jwk, PublicKey publicKey)
    {
    }

    private final List<Entry> entries;

    private KeySet(final List<Entry> entries)
    {
        this.entries = List.copyOf(entries);
    }

    /** The RSA and EC keys of {@code keys} that make a Java public key; others (oct, OKP, a bad point) are left out. */
    static KeySet of(final List<JWK> keys)
    {
        final List<Entry> entries = new ArrayList<>();
        for (final JWK key : keys)
        {
            try
            {
                if (key instanceof RSAKey rsa)
                {
                    entries.add(new Entry(rsa.toPublicJWK(), rsa.toRSAPublicKey()));
                }
                else if (key instanceof ECKey ec)
                {
                    entries.add(new Entry(ec.toPublicJWK(), ec.toECPublicKey()));
                }
            }
            catch (final JOSEException ex)
            {
                // not a key the JDK takes (an EC point off its curve, say): nothing could verify with it
            }
        }
        return new KeySet(entries);
    }

    int size()
    {
        return entries.size();
    }

    /** Whether {@code other} holds the same keys, in the same order ({@code null}: none). */
    boolean sameKeys(final KeySet other)
    {
        return other != null && entries.size() == other.entries.size()
            && entries.stream().map(Entry::jwk).toList().equals(other.entries.stream().map(Entry::jwk).toList());
    }

    /** Whether some key has this {@code kid}, whatever its type. */
    boolean hasKeyId(final String keyId)
    {
        for (final Entry entry : entries)
        {
            if (keyId.equals(entry.jwk().getKeyID()))
            {
                return true;
            }
        }
        return false;
    }

    /** The keys that may check a signature by {@code algorithm} naming {@code keyId} (null: a token without a kid, any key). */
    List<Entry> candidates(final JWSAlgorithm algorithm, final String keyId)
    {
        final KeyType type = KeyType.forAlgorithm(algorithm);
        final Set<Curve> curves = KeyType.EC.equals(type) ? Curve.forJWSAlgorithm(algorithm) : null;
        final List<Entry> candidates = new ArrayList<>(1);
        for (final Entry entry : entries)
        {
            final JWK jwk = entry.jwk();
            if (type.equals(jwk.getKeyType())
                && (keyId == null || keyId.equals(jwk.getKeyID()))
                && (jwk.getKeyUse() == null || KeyUse.SIGNATURE.equals(jwk.getKeyUse()))
                && (jwk.getAlgorithm() == null || algorithm.equals(jwk.getAlgorithm()))
                && (curves == null || curves.contains(((ECKey)jwk).getCurve())))
            {
                candidates.add(entry);
            }
        }
        return candidates;
    }
}
