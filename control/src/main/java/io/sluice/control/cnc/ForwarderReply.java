package io.sluice.control.cnc;

import io.sluice.forwarder.command.CommandTypes;

/**
 * The forwarder's answer to one command.
 *
 * @param status  {@link CommandTypes#STATUS_OK} or the reason it changed nothing.
 * @param message one line for the user.
 */
public record ForwarderReply(int status, String message)
{
    public boolean ok()
    {
        return status == CommandTypes.STATUS_OK;
    }
}
