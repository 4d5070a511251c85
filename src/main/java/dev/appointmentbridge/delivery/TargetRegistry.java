package dev.appointmentbridge.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import dev.appointmentbridge.event.EventType;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The configured targets, their signers, and which are disabled (410 Gone or by an operator). */
@ApplicationScoped
public class TargetRegistry {

    private static final Logger LOG = Logger.getLogger(TargetRegistry.class);

    /** A target with its parsed settings. */
    public record Target(String name, TargetsConfig.Target config, Set<EventType> events, WebhookSigner signer) {

        public boolean wants(EventType type) {
            return events.contains(type);
        }
    }

    @Inject
    TargetsConfig config;

    @Inject
    DataSource dataSource;

    @Inject
    DeliveryConfig delivery;

    private final Map<String, Target> targets = new TreeMap<>();
    private final Set<String> disabled = ConcurrentHashMap.newKeySet();

    @PostConstruct
    void build() {
        for (Map.Entry<String, TargetsConfig.Target> e : config.targets().entrySet()) {
            String name = e.getKey();
            TargetsConfig.Target t = e.getValue();
            Set<EventType> events = t.events().map(list -> list.stream().map(String::trim).map(type -> EventType
                    .fromWire(type).orElseThrow(() -> new IllegalArgumentException("bridge.targets." + name
                            + ".events: unknown event type " + type)))
                    .collect(java.util.stream.Collectors.toUnmodifiableSet()))
                    .orElse(Set.of(EventType.values()));
            WebhookSigner signer = t.secret().map(secret -> {
                try {
                    return new WebhookSigner(secret);
                } catch (IllegalArgumentException bad) {
                    throw new IllegalArgumentException("bridge.targets." + name + ".secret: " + bad.getMessage());
                }
            }).orElse(null);
            if (!delivery.allowLinkLocalTargets()) {
                OutboundUrlGuard.refusal(t.url()).ifPresent(reason -> {
                    throw new IllegalArgumentException("bridge.targets." + name + ".url " + reason
                            + " (set bridge.delivery.allow-link-local-targets=true to allow it)");
                });
            }
            targets.put(name, new Target(name, t, events, signer));
        }
        reloadDisabled();
    }

    public Collection<Target> all() {
        return targets.values();
    }

    public Optional<Target> find(String name) {
        return Optional.ofNullable(targets.get(name));
    }

    public boolean isDisabled(String name) {
        return disabled.contains(name);
    }

    public void disable(String name, String reason) throws SQLException {
        setEnabled(name, false, reason);
        LOG.warnf("Target %s disabled: %s", name, reason);
    }

    public void enable(String name) throws SQLException {
        setEnabled(name, true, null);
        LOG.infof("Target %s enabled", name);
    }

    public Optional<String> disabledReason(String name) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT disabled_reason FROM target_state WHERE name = ? AND NOT enabled")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    private void setEnabled(String name, boolean enabled, String reason) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO target_state (name, enabled, disabled_reason, changed_at) VALUES (?, ?, ?, now())
                        ON CONFLICT (name) DO UPDATE SET enabled = EXCLUDED.enabled,
                               disabled_reason = EXCLUDED.disabled_reason, changed_at = now()
                        """)) {
            ps.setString(1, name);
            ps.setBoolean(2, enabled);
            ps.setString(3, reason);
            ps.executeUpdate();
        }
        if (enabled) {
            disabled.remove(name);
        } else {
            disabled.add(name);
        }
    }

    /** Other replicas may have disabled or enabled a target; the worker calls this on its backstop tick. */
    public void reloadDisabled() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT name FROM target_state WHERE NOT enabled");
                ResultSet rs = ps.executeQuery()) {
            Set<String> now = new java.util.HashSet<>();
            while (rs.next()) {
                now.add(rs.getString(1));
            }
            disabled.retainAll(now);
            disabled.addAll(now);
        } catch (SQLException e) {
            LOG.warnf("Could not read target state: database error %s", e.getSQLState());
        }
    }
}
