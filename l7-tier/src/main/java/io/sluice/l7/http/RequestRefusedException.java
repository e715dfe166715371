package io.sluice.l7.http;

/**
 * A request the proxy will not forward, as the cause of a failed {@code DecoderResult} (or
 * thrown by a check): the reason, and a detail for the one-line answer. No stack trace: it is
 * made for bad input, which an attacker can send at will.
 */
public final class RequestRefusedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient RequestRefusal reason;

    public RequestRefusedException(final RequestRefusal reason, final String detail)
    {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public RequestRefusal reason()
    {
        return reason;
    }

    /** A decoder's failure as a refusal: itself when it is one, else a malformed request with the failure's message. */
    public static RequestRefusedException of(final Throwable failure)
    {
        if (failure instanceof RequestRefusedException refusal)
        {
            return refusal;
        }
        final String message = failure.getMessage();
        return new RequestRefusedException(RequestRefusal.MALFORMED, message == null ? failure.getClass().getSimpleName() : message);
    }
}
