/**
 * The benches' results as pictures: {@link io.sluice.bench.chart.Charts} reads every result file
 * the harnesses wrote and draws, as plain SVG written by a small writer of its own (no plotting
 * library: bars and polylines on labelled axes are a few elements each), packets per second per
 * peer and traffic kind, requests per second per proxy, latency percentile curves per proxy on a
 * percentile scale, and each harness's own figure; it links them from each result's Markdown
 * report and from bench/README.md.
 */
package io.sluice.bench.chart;
