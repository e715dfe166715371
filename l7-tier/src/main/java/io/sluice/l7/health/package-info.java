/**
 * Which servers of the L7 pools may take requests, judged two ways that combine on each
 * {@link io.sluice.l7.balance.Upstream}: active checks ({@link io.sluice.l7.health.HealthChecker},
 * an HTTP GET or a gRPC Health/Check to every server every interval, on the proxy's own event
 * loops) and passive outlier ejection ({@link io.sluice.l7.health.OutlierDetector}, fed by the
 * proxy with how each exchange ended). A server is picked only when neither has taken it out.
 */
package io.sluice.l7.health;
