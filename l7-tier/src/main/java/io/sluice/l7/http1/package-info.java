/**
 * sluice's own HTTP/1.1 server codec: a strict request parser ({@link io.sluice.l7.http1.StrictRequestDecoder})
 * and the response encoder it feeds request methods to, combined in {@link io.sluice.l7.http1.Http1ServerCodec}.
 *
 * <p>Netty's {@code HttpRequestDecoder} is written for servers that answer what they parse; a proxy
 * forwards it, so every leniency there (a chunk size it reads differently from the backend, a
 * line ended by LF alone, junk skipped after chunk data, a Transfer-Encoding it does not
 * understand) is a way to make the proxy and the backend see different requests in the same
 * bytes (request smuggling). This parser accepts RFC 9112's grammar and nothing else, refuses
 * everything else with the {@link io.sluice.l7.http.RequestRefusal} the shared spec names, and
 * hands on the same objects Netty's decoder does, so the rest of the proxy does not change.
 */
package io.sluice.l7.http1;
