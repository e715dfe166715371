/**
 * {@code sudo ./sluice demo}: {@link io.sluice.control.demo.Demo} builds a lab of network
 * namespaces, starts HTTP backends and a forwarder, configures a VIP through the real command
 * line (echoing each command), sends load through it and shows where it went and what the
 * forwarder counted; {@code HttpsVip} does the same over TLS (both proxies answer, and one resumes
 * the sessions the other issued, as its own metrics count); {@code SharedRateLimit} starts a
 * redis-server in the lab and shows both proxies counting one global rate limit in it; then it
 * removes everything it made however it ends. {@code HaDemo} ({@code sluice demo --ha}) fails a
 * forwarder over live: two forwarders behind a BIRD router ({@code EcmpRouter}), stopped and killed
 * under {@code FailoverLoad} (new and long-lived connections, {@code KeepAliveConnection}), with a
 * status line each second ({@code HaStatus}) and a summary against issue 20's targets
 * ({@code HaSummary}); the BGP lab test uses the same router, load and connections.
 * {@code DemoOutput} tells that story to a person, or as one JSON object
 * with {@code --json}. The demo is product behaviour (a command of the {@code sluice} jar, with its
 * output and exit codes), so it lives here; it is built entirely on the lab module
 * ({@code io.sluice.lab}), the only package of control's main code that uses it, and drives the
 * forwarder only as a user would, through the {@code sluice} process.
 */
package io.sluice.control.demo;
