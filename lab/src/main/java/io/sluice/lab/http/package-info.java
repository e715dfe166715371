/**
 * The lab's HTTP programs, each run inside a namespace with {@code java -cp sluice.jar CLASS}:
 * {@link io.sluice.lab.http.HttpBackend} answers every request with its own name and the client
 * address it saw, and {@link io.sluice.lab.http.HttpLoad} sends requests one TCP connection each
 * and counts who served them in a {@link io.sluice.lab.http.LoadReport}, printed as text or as
 * one line of JSON (Jackson's streaming core) that the demo and the lab tests read back. The lab
 * speaks HTTP over plain sockets ({@link io.sluice.lab.http.HttpReply}) on purpose, to decide
 * which TCP connection carries each request.
 */
package io.sluice.lab.http;
