package dev.appointmentbridge.common;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/**
 * Turns every failure into the contract's error shape. Nothing here ever echoes an exception message
 * or stack trace to the client: messages may carry request data.
 */
public class ExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ExceptionMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return e.toResponse();
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e) {
        return ErrorResponses.of(415, "Unsupported content type",
                ErrorItem.of("header", "Content-Type", "Content-Type must be application/json", "content_type"));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return ErrorResponses.of(404, "Not found", ErrorItem.of("path", "", "No such resource", "not_found"));
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return ErrorResponses.of(405, "Method not allowed",
                ErrorItem.of("method", "", "Allowed: " + e.getResponse().getAllowedMethods(), "method_not_allowed"));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf("Request failed with status %d: %s", status, e.getClass().getSimpleName());
        }
        String reason = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase()
                : "Request failed";
        return ErrorResponses.of(status, reason, ErrorItem.of("request", "", reason, "http_" + status));
    }

    /** A body that could not be read: the client went away, or Vert.x already refused it as too large. */
    @ServerExceptionMapper
    public Response unreadable(java.io.IOException e) {
        return ErrorResponses.of(400, "Request body could not be read",
                ErrorItem.of("body", "", "The body was cut off or too large", "body_unreadable"));
    }

    /**
     * PostgreSQL refused a value of the request (SQLSTATE class 22: a NUL in a filter, a date out of range):
     * the request is wrong, not the service; the value is never echoed.
     */
    @ServerExceptionMapper
    public Response dataException(org.hibernate.exception.DataException e) {
        return ErrorResponses.of(422, "A parameter cannot be used", ErrorItem.of("query", "",
                "A value cannot be processed by the database (SQLSTATE " + e.getSQLState() + ")", "unprocessable"));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        // Exception messages can quote request values (patient data): log the type only, full detail at debug.
        LOG.errorf("Unexpected %s while handling a request", e.getClass().getName());
        LOG.debug("Unexpected error detail", e);
        return ErrorResponses.of(500, "Internal error",
                ErrorItem.of("server", "", "The request could not be processed; it was not stored", "internal"));
    }
}
