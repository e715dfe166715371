/**
 * The control module's JSON: {@link io.sluice.control.json.Json} holds the one configured
 * Jackson streaming-core factory and turns a document written with a {@code JsonGenerator} into a
 * string; callers use Jackson's generator and parser directly. It is used by the CLI's
 * {@code --json} output and the demo's report, and depends on jackson-core alone.
 */
package io.sluice.control.json;
