/**
 * {@code sudo ./sluice demo}: {@link io.sluice.control.demo.Demo} builds a lab of network
 * namespaces, starts HTTP backends and a forwarder, configures a VIP through the real command
 * line (echoing each command), sends load through it and shows where it went and what the
 * forwarder counted, then removes everything it made however it ends.
 * {@code DemoOutput} tells that story to a person, or as one JSON object
 * with {@code --json}. It is built entirely on the {@code lab} package and drives the forwarder
 * only as a user would, through the {@code sluice} process.
 */
package io.sluice.control.demo;
