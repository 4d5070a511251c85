package dev.appointmentbridge.poll.store;

/** Another replica claimed the source after this one's lease ran out: this cycle's commit was refused. */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(String source, long fence) {
        super("lease of source " + source + " lost (fence " + fence + " is stale)", null, false, false);
    }
}
