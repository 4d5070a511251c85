package dev.appointmentbridge.inbound.hl7;

/** A message the bridge cannot read as an SIU appointment; its text goes into the negative acknowledgement. */
final class SiuException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SiuException(String message) {
        super(message, null, false, false);
    }
}
