package io.sluice.l7.config;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code auth.jwt.keys_file}: the public keys a route's tokens are checked against, from a JWKS
 * (a JSON object with {@code keys}) or PEM public keys and certificates (read by the JDK through
 * {@link PemFiles}: nimbus reads PEM keys only with BouncyCastle). Only their public parts are
 * kept; a symmetric key is refused (sluice never checks an HMAC), and so is an EdDSA one.
 */
final class JwkFiles
{
    private static final String WHAT = "keys_file";

    private JwkFiles()
    {
    }

    static List<JWK> publicKeys(final ConfigNode node)
    {
        final Path file = node.file();
        try
        {
            final String text = new String(PemFiles.bytes(file, WHAT), StandardCharsets.UTF_8);
            return text.stripLeading().startsWith("{") ? jwks(text, file) : pem(file);
        }
        catch (final IllegalArgumentException ex)
        {
            throw node.error(ex.getMessage());
        }
    }

    private static List<JWK> jwks(final String text, final Path file)
    {
        final List<JWK> read;
        try
        {
            read = JWKSet.parse(text).getKeys();
        }
        catch (final ParseException ex)
        {
            throw new IllegalArgumentException(WHAT + " " + file + " is not a JWKS: " + ex.getMessage());
        }
        final List<JWK> keys = new ArrayList<>();
        for (final JWK key : read)
        {
            if (!(key instanceof RSAKey) && !(key instanceof ECKey))
            {
                final String named = key.getKeyID() == null ? "" : " ('" + key.getKeyID() + "')";
                throw new IllegalArgumentException(WHAT + " " + file + ": a " + key.getKeyType() + " key" + named +
                    " cannot check RS*, PS* or ES* signatures: give RSA or EC public keys");
            }
            keys.add(key.toPublicJWK());
        }
        if (keys.isEmpty())
        {
            throw new IllegalArgumentException(WHAT + " " + file + " holds no key");
        }
        return keys;
    }

    private static List<JWK> pem(final Path file)
    {
        final List<JWK> keys = new ArrayList<>();
        for (final PublicKey key : PemFiles.publicKeys(file, WHAT))
        {
            if (key instanceof RSAPublicKey rsa)
            {
                keys.add(new RSAKey.Builder(rsa).build());
            }
            else if (key instanceof ECPublicKey ec && Curve.forECParameterSpec(ec.getParams()) != null)
            {
                keys.add(new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build());
            }
            else
            {
                throw new IllegalArgumentException(WHAT + " " + file + ": a " + key.getAlgorithm() +
                    " key cannot check RS*, PS* or ES* signatures: give RSA or EC (P-256, P-384, P-521) public keys");
            }
        }
        return keys;
    }
}
