package io.sluice.l7.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import java.util.Date;
import java.util.List;

/** Keys made for a test and tokens signed with them, as an identity provider would sign them. */
public final class Tokens
{
    public static final String ISSUER = "https://id.example";
    public static final String AUDIENCE = "api";

    private Tokens()
    {
    }

    public static RSAKey rsa(final String keyId)
    {
        try
        {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        }
        catch (final JOSEException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    public static ECKey ec(final String keyId)
    {
        try
        {
            return new ECKeyGenerator(Curve.P_256).keyID(keyId).generate();
        }
        catch (final JOSEException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** Claims that a route expecting {@link #ISSUER} and {@link #AUDIENCE} accepts at {@code nowMillis}: five minutes left. */
    public static JWTClaimsSet.Builder claims(final String subject, final long nowMillis)
    {
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(subject)
            .issueTime(new Date(nowMillis)).expirationTime(new Date(nowMillis + 300_000));
    }

    /** Signed by {@code key} (RS256 for RSA, ES256 for EC), its kid in the header. */
    public static String sign(final JWK key, final JWTClaimsSet claims)
    {
        try
        {
            final boolean rsa = key instanceof RSAKey;
            final JWSSigner signer = rsa ? new RSASSASigner((RSAKey)key) : new ECDSASigner((ECKey)key);
            final SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(rsa ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256)
                .keyID(key.getKeyID()).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        }
        catch (final JOSEException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * The classic confusion attack: HS256 "signed" with the RSA public key's encoded bytes as the
     * HMAC secret, the key's kid in the header, hoping the verifier takes the public key for a secret.
     */
    public static String hmacWithPublicKey(final RSAKey key, final JWTClaimsSet claims)
    {
        try
        {
            final SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
            return jwt.serialize();
        }
        catch (final JOSEException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** {@code alg: none}: no signature at all. */
    public static String unsigned(final JWTClaimsSet claims)
    {
        return new PlainJWT(claims).serialize();
    }

    /** The public JWKS of these keys, as an identity provider publishes it. */
    public static String jwks(final JWK... keys)
    {
        return new JWKSet(List.of(keys)).toPublicJWKSet().toString();
    }
}
