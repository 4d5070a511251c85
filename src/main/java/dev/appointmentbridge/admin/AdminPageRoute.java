package dev.appointmentbridge.admin;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The operator page is the static {@code META-INF/resources/admin/index.html}, served at {@code /admin/};
 * this sends {@code /admin} there. The page holds no data: everything it shows comes from the admin API,
 * which keeps its key.
 */
@ApplicationScoped
public class AdminPageRoute {

    void redirect(@Observes Router router) {
        router.get("/admin").order(-1).handler(rc -> {
            if ("/admin".equals(rc.request().path())) {
                rc.redirect("/admin/");
            } else {
                rc.next();
            }
        });
    }
}
