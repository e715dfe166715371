/**
 * The control protocol between the CLI and a running forwarder: message type ids in
 * {@link io.sluice.forwarder.command.CommandTypes} and one flyweight per message (add and delete
 * a VIP or a real, ask for the configuration text or put a whole one in force, the replies), each documenting its byte
 * layout. Commands travel on the control file's many-to-one ring buffer and replies on its
 * broadcast buffer, matched by correlation id, so CLI and forwarder of different builds must
 * agree on these layouts and ids. The flyweights are re-pointed over each message rather than
 * decoded into objects, and a reader checks {@code isComplete()} before trusting a message from
 * another process. The conductor reads the commands and writes the replies; the control module's
 * forwarder client writes the commands and reads the replies.
 */
package io.sluice.forwarder.command;
