package io.agentwatch.sink.delivery;

import io.agentwatch.sink.routing.ReceiverSpec;
import java.util.List;

/** An endpoint alerts are delivered to: turns a notification into requests, and makes one attempt at a request. */
public interface Receiver {
    ReceiverSpec spec();

    default String name() {
        return spec().name();
    }

    /** The requests that deliver the notification (a receiver that cannot send a digest is never given one). */
    List<Outgoing> render(Notification notification);

    /** One attempt; never throws for a delivery failure, and never puts a secret in the result. */
    Attempt send(Outgoing outgoing);
}
