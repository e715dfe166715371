#!/usr/bin/env python3
"""A public JWKS and a long-lived token for run-gateway, from a private key openssl made.

    make-jwt.py ALG PRIVATE.pem KID ISSUER AUDIENCE JWKS_OUT   # ALG: ES256 (P-256) or RS256

Writes the key's public JWK, as a JWKS, to JWKS_OUT and prints a token signed with the key
(header alg and kid; claims iss, aud, sub, iat, exp ten years on). The Python standard library has
no signing, so openssl signs: `openssl dgst -sha256 -sign` gives RS256's PKCS#1 v1.5 signature as
JWS wants it, but ECDSA's as DER (SEQUENCE of INTEGER r, INTEGER s), which JWS (RFC 7518 3.4)
wants as r || s, each 32 bytes big-endian: converted here.
"""
import base64
import json
import re
import subprocess
import sys
import time


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def openssl(*args: str, data: bytes = b"") -> bytes:
    return subprocess.run(["openssl", *args], input=data, stdout=subprocess.PIPE, check=True).stdout


def der_length(der: bytes, at: int):
    """A DER length at `at`: (length, index of the contents)."""
    first = der[at]
    if first < 0x80:
        return first, at + 1
    count = first & 0x7F
    return int.from_bytes(der[at + 1:at + 1 + count], "big"), at + 1 + count


def ecdsa_raw(der: bytes) -> bytes:
    """DER ECDSA-Sig-Value to r || s, 32 bytes each (P-256)."""
    if der[0] != 0x30:
        raise ValueError("not a DER ECDSA signature")
    _, at = der_length(der, 1)
    raw = b""
    for _ in range(2):
        if der[at] != 0x02:
            raise ValueError("not a DER INTEGER in the ECDSA signature")
        length, start = der_length(der, at + 1)
        value = der[start:start + length].lstrip(b"\x00")
        if len(value) > 32:
            raise ValueError("an ECDSA integer longer than 32 bytes: not P-256")
        raw += value.rjust(32, b"\x00")
        at = start + length
    return raw


def public_jwk(alg: str, key: str, kid: str) -> dict:
    if alg == "ES256":
        point = openssl("pkey", "-in", key, "-pubout", "-outform", "DER")[-65:]
        if point[0] != 0x04:
            raise ValueError("not an uncompressed P-256 point")
        return {"kty": "EC", "crv": "P-256", "x": b64url(point[1:33]), "y": b64url(point[33:]), "kid": kid, "alg": alg,
                "use": "sig"}
    text = openssl("rsa", "-in", key, "-noout", "-text").decode("ascii")
    exponent = int(re.search(r"publicExponent: (\d+)", text).group(1))
    modulus = int(openssl("rsa", "-in", key, "-noout", "-modulus").decode("ascii").strip().split("=", 1)[1], 16)
    return {"kty": "RSA", "n": b64url(modulus.to_bytes((modulus.bit_length() + 7) // 8, "big")),
            "e": b64url(exponent.to_bytes((exponent.bit_length() + 7) // 8, "big")), "kid": kid, "alg": alg, "use": "sig"}


def main() -> None:
    alg, key, kid, issuer, audience, jwks_out = sys.argv[1:7]
    if alg not in ("ES256", "RS256"):
        raise SystemExit(f"make-jwt.py: no such algorithm here: {alg} (ES256 or RS256)")
    with open(jwks_out, "w", encoding="ascii") as out:
        json.dump({"keys": [public_jwk(alg, key, kid)]}, out)
    now = int(time.time())
    header = b64url(json.dumps({"alg": alg, "typ": "JWT", "kid": kid}, separators=(",", ":")).encode())
    claims = b64url(json.dumps({"iss": issuer, "aud": audience, "sub": "bench", "iat": now, "exp": now + 10 * 365 * 86400},
                               separators=(",", ":")).encode())
    signing_input = f"{header}.{claims}".encode("ascii")
    signature = openssl("dgst", "-sha256", "-sign", key, data=signing_input)
    print(f"{header}.{claims}.{b64url(ecdsa_raw(signature) if alg == 'ES256' else signature)}")


if __name__ == "__main__":
    main()
