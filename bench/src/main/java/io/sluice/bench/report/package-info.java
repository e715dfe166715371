/**
 * The bench harnesses' figures: the scripts under {@code bench/} build labs, start processes and
 * collect each run's raw measurements into a file of JSON lines; {@link io.sluice.bench.report.Report}
 * turns those into what a reader gets, in {@code bench/results/}: medians, ratios, the rules that
 * decide whether a run may give a verdict at all (the generator's headroom), the verdicts, the
 * JSON result file and the Markdown report. Keeping the arithmetic here, with unit tests, leaves
 * the scripts to orchestrate only.
 */
package io.sluice.bench.report;
