package dev.appointmentbridge.inbound.hl7;

import ca.uhn.hl7v2.ErrorCode;

/**
 * A message the bridge cannot read as an SIU appointment; its text goes into the negative acknowledgement, with the
 * HL7 table 0357 code that says what kind of error it is (ERR-3).
 */
final class SiuException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    SiuException(String message) {
        this(message, ErrorCode.DATA_TYPE_ERROR);
    }

    SiuException(String message, ErrorCode code) {
        super(message, null, false, false);
        this.code = code;
    }

    ErrorCode code() {
        return code;
    }
}
