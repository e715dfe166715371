package io.sluice.control.doctor;

import java.util.Optional;

/** Runs a command on the host; tests answer with canned output. */
@FunctionalInterface
public interface HostCommands
{
    /** @return what the command printed on stdout, empty when it is missing or failed. */
    Optional<String> run(String... command);
}
