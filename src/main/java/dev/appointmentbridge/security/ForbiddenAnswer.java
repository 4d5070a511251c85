package dev.appointmentbridge.security;

import java.util.List;

import dev.appointmentbridge.common.ApiError;
import dev.appointmentbridge.common.ErrorItem;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.security.ForbiddenException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * A key that is valid but not the one a route takes (the inbound key on {@code /admin/*}, the admin key on a
 * push) is refused with 403 and the bridge's error body saying which key the route takes, instead of an empty 403.
 */
@ApplicationScoped
public class ForbiddenAnswer {

    @Inject
    ApiKeyAuthenticationMechanism mechanism;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::answer);
    }

    void answer(RoutingContext context) {
        boolean forbidden = context.statusCode() == 403 || context.failure() instanceof ForbiddenException;
        if (!forbidden || context.response().ended()) {
            context.next();
            return;
        }
        String role = context.get(KeyPolicies.MISSING_ROLE);
        String msg = ApiKeys.OPERATOR.equals(role) ? "This key may push events; this endpoint takes bridge.admin.api-key"
                : ApiKeys.PUSH_CLIENT.equals(role) ? "This key operates the bridge; pushes take bridge.inbound.api-key"
                : "This key does not open this endpoint";
        context.response().setStatusCode(403).putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .end(mechanism.write(ApiError.of("Forbidden", List.of(ErrorItem.of("header", "X-API-Key", msg,
                        "forbidden")))));
    }
}
