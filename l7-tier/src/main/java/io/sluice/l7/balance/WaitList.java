package io.sluice.l7.balance;

/**
 * A pool's waiting requests in arrival order, linked through the requests themselves, so
 * queueing, leaving from the middle (a client gone, a timeout) and taking the oldest are O(1)
 * and allocate nothing. Used under the pool queue's lock only.
 */
final class WaitList
{
    private QueuedRequest head;
    private QueuedRequest tail;

    QueuedRequest head()
    {
        return head;
    }

    void addLast(final QueuedRequest request)
    {
        request.previous = tail;
        request.next = null;
        if (tail == null)
        {
            head = request;
        }
        else
        {
            tail.next = request;
        }
        tail = request;
    }

    void remove(final QueuedRequest request)
    {
        if (request.previous == null)
        {
            head = request.next;
        }
        else
        {
            request.previous.next = request.next;
        }
        if (request.next == null)
        {
            tail = request.previous;
        }
        else
        {
            request.next.previous = request.previous;
        }
        request.previous = null;
        request.next = null;
    }
}
