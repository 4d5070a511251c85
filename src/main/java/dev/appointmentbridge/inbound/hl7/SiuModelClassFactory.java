package dev.appointmentbridge.inbound.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v25.message.SIU_S12;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;

/**
 * HAPI's v2.5 classes for every version, and the one SIU structure for every SIU message. Senders name the structure
 * in MSH-9.3 after the trigger (SIU_S26 in v2.6 and later, SIU_S13 from some engines) or not at all, and v2.5 has a
 * class only for SIU_S12, which every SIU trigger of v2.3 to v2.7 shares: any other name parsed into a generic message
 * and an SIU the triggers table stores was refused with an AE.
 */
final class SiuModelClassFactory extends CanonicalModelClassFactory {

    private static final long serialVersionUID = 1L;

    SiuModelClassFactory() {
        super("2.5");
    }

    @Override
    public Class<? extends Message> getMessageClass(String name, String version, boolean isExplicit)
            throws HL7Exception {
        if (name != null && (name.equals("SIU") || name.startsWith("SIU_"))) {
            return SIU_S12.class;
        }
        return super.getMessageClass(name, version, isExplicit);
    }
}
