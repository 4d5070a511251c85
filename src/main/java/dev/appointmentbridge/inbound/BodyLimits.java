package dev.appointmentbridge.inbound;

import java.util.List;

import dev.appointmentbridge.common.ApiException;
import dev.appointmentbridge.common.ErrorItem;

final class BodyLimits {

    private BodyLimits() {
    }

    static ApiException tooLarge(int limit) {
        return new ApiException(413, "Request body too large",
                List.of(new ErrorItem(List.of("body"), "Body must be at most " + limit + " bytes", "body_too_large")));
    }
}
