/**
 * What the proxy accepts as a request, in one place for every protocol: the reasons a request
 * is refused ({@link io.sluice.l7.http.RequestRefusal}), the strict HTTP/1.1 parser
 * ({@code http1}) and the checks that apply to a request head whichever protocol brought it.
 * A request refused here never reaches a backend.
 */
package io.sluice.l7.http;
