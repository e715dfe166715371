package io.sluice.l7.balance;

/**
 * Who hears how a request's wait in a pool's queue ends; called on the event loop it queued
 * from, never both, and neither once it has {@link PoolBalancer#leave left} the queue.
 */
public interface QueueListener
{
    /** A slot was taken for it on {@code pick}'s server: it goes now, and ends it with {@link PoolBalancer#end}. */
    void admitted(Pick pick);

    /** It waited the queue's timeout without a slot, and left the queue. */
    void queueTimedOut();
}
