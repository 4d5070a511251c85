package dev.appointmentbridge.delivery.target;

import dev.appointmentbridge.config.TargetsConfig;
import dev.appointmentbridge.config.DeliveryConfig;
import dev.appointmentbridge.config.Format;
import dev.appointmentbridge.delivery.format.Signatures;
import dev.appointmentbridge.delivery.store.TargetStateEntity;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.hibernate.StatelessSession;
import org.jboss.logging.Logger;

import dev.appointmentbridge.event.EventType;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The configured targets, their signers, and which are disabled (410 Gone or by an operator). */
@ApplicationScoped
public class TargetRegistry {

    private static final Logger LOG = Logger.getLogger(TargetRegistry.class);

    /** A target with its parsed settings. */
    public record Target(String name, TargetsConfig.Target config, Set<EventType> events, Signatures signer) {

        public boolean wants(EventType type) {
            return events.contains(type);
        }

        /** Where it goes, for operators: scheme, host, port and a non-secret first path segment (SafeUrl.origin), or the Kafka topic and servers. */
        public String address() {
            return config.url().map(dev.appointmentbridge.common.SafeUrl::origin).orElseGet(() -> "kafka:"
                    + config.kafka().orElseThrow().topic() + " at " + config.kafka().orElseThrow().bootstrapServers());
        }

        public boolean kafka() {
            return config.kafka().isPresent();
        }
    }

    @Inject
    TargetsConfig config;

    @Inject
    StatelessSession session;

    @Inject
    DeliveryConfig delivery;

    @Inject
    dev.appointmentbridge.config.AdminConfig admin;

    @Inject
    dev.appointmentbridge.config.InboundConfig inbound;

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
            Signatures signer = Signatures.of("bridge.targets." + name + ".", t.secret(),
                    t.previousSecrets().orElse(List.of()), t.signingKey()).orElse(null);
            if (t.url().isPresent() == t.kafka().isPresent()) {
                throw new IllegalArgumentException("bridge.targets." + name + ": set url (an HTTP target) or"
                        + " kafka.bootstrap-servers and kafka.topic (a Kafka target), one of the two");
            }
            t.kafka().ifPresent(kafka -> {
                if (kafka.bootstrapServers().isBlank() || kafka.topic().isBlank()) {
                    throw new IllegalArgumentException("bridge.targets." + name + ".kafka: bootstrap-servers and topic"
                            + " must not be empty");
                }
            });
            String url = t.url().orElse(null);
            if (url != null) {
                OutboundUrlGuard.syntaxRefusal(url).ifPresent(reason -> { // allowed private or not
                    throw new IllegalArgumentException("bridge.targets." + name + ".url " + reason);
                });
            }
            if (url != null && !delivery.allowPrivateTargets() && !t.allowPrivate()) {
                OutboundUrlGuard.refusal(url).ifPresent(reason -> {
                    throw new IllegalArgumentException("bridge.targets." + name + ".url " + reason
                            + " (set bridge.targets." + name + ".allow-private=true or"
                            + " bridge.delivery.allow-private-targets=true to allow it)");
                });
            }
            if (t.heartbeat().isPresent() && t.format() != Format.STANDARD && t.format() != Format.FLAT) {
                throw new IllegalArgumentException("bridge.targets." + name + ".heartbeat: the "
                        + t.format().name().toLowerCase() + " format has no heartbeat message (standard and flat do)");
            }
            if (t.heartbeat().isPresent() && t.heartbeat().get().toMillis() < 1000) {
                throw new IllegalArgumentException("bridge.targets." + name + ".heartbeat: at least 1s");
            }
            if (signer == null) { // an empty BRIDGE_TARGETS_X_SECRET reads as unset: say so, loudly
                LOG.warnf("Target %s has no bridge.targets.%s.secret: its %s not signed, and a %s cannot tell them"
                        + " from forged ones", name, name, t.kafka().isPresent() ? "records are" : "requests are",
                        t.kafka().isPresent() ? "consumer" : "receiver");
            }
            targets.put(name, new Target(name, t, events, signer));
        }
        FeedKeys.check(config, admin, inbound);
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

    public void disable(String name, String reason) {
        setEnabled(name, false, reason);
        LOG.warnf("Target %s disabled: %s", name, reason);
    }

    public void enable(String name) {
        setEnabled(name, true, null);
        LOG.infof("Target %s enabled", name);
    }

    public Optional<String> disabledReason(String name) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                    "select disabledReason from TargetStateEntity where name = :name and not enabled", String.class)
                    .setParameter("name", name).getResultList().stream().filter(Objects::nonNull).findFirst());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private void setEnabled(String name, boolean enabled, String reason) {
        QuarkusTransaction.requiringNew().run(() -> session.createMutationQuery("""
                insert into TargetStateEntity (name, enabled, disabledReason, changedAt)
                values (:name, :enabled, :reason, current_timestamp)
                on conflict (name) do update set enabled = excluded.enabled,
                       disabledReason = excluded.disabledReason, changedAt = current_timestamp""")
                .setParameter("name", name).setParameter("enabled", enabled).setParameter("reason", reason)
                .executeUpdate());
        if (enabled) {
            disabled.remove(name);
        } else {
            disabled.add(name);
        }
    }

    /** Other replicas may have disabled or enabled a target; the worker calls this on its backstop tick. */
    public void reloadDisabled() {
        try {
            Set<String> now = new HashSet<>(QuarkusTransaction.requiringNew().call(() -> session.createSelectionQuery(
                    "select name from TargetStateEntity where not enabled", String.class).getResultList()));
            disabled.retainAll(now);
            disabled.addAll(now);
        } catch (RuntimeException e) {
            LOG.warnf("Could not read target state: %s", e.getClass().getSimpleName());
        }
    }

    /** Every configured target's name. */
    public java.util.List<String> names() {
        return all().stream().map(Target::name).toList();
    }

    /** The names of the targets not disabled: a disabled target's backlog is not waiting to be sent. */
    public java.util.List<String> enabledNames() {
        return all().stream().map(Target::name).filter(n -> !isDisabled(n)).toList();
    }
}
