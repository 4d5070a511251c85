package dev.appointmentbridge.delivery.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Everything that signs a target's attempts: its current {@code whsec_} secret, the previous ones still accepted
 * during a rotation, and an optional {@code whsk_} Ed25519 key. The {@code webhook-signature} header lists one
 * signature per key, space-separated, as the Standard Webhooks spec describes, so a receiver holding any one of the
 * keys verifies.
 */
public final class Signatures {

    private final List<WebhookSigner> secrets;
    private final Ed25519Key signingKey;

    private Signatures(List<WebhookSigner> secrets, Ed25519Key signingKey) {
        this.secrets = List.copyOf(secrets);
        this.signingKey = signingKey;
    }

    /**
     * Checks each key, naming the setting it came from in the error (never the key).
     *
     * @param prefix {@code bridge.targets.<name>.}
     * @return empty when nothing signs
     */
    public static Optional<Signatures> of(String prefix, Optional<String> secret, List<String> previousSecrets,
            Optional<String> signingKey) {
        List<WebhookSigner> signers = new ArrayList<>();
        secret.ifPresent(s -> signers.add(check(prefix + "secret", () -> new WebhookSigner(s))));
        if (!previousSecrets.isEmpty() && secret.isEmpty()) {
            throw new IllegalArgumentException(prefix + "previous-secrets is set without " + prefix + "secret: a"
                    + " rotation keeps signing with the new secret first");
        }
        java.util.Set<String> distinct = new java.util.HashSet<>();
        secret.ifPresent(distinct::add);
        for (int i = 0; i < previousSecrets.size(); i++) {
            String previous = previousSecrets.get(i).trim();
            if (!distinct.add(previous)) {
                throw new IllegalArgumentException(prefix + "previous-secrets[" + i + "] is the same as " + prefix
                        + "secret or an earlier previous secret: a rotation signs with two different keys");
            }
            signers.add(check(prefix + "previous-secrets[" + i + "]", () -> new WebhookSigner(previous)));
        }
        Ed25519Key key = signingKey.map(k -> check(prefix + "signing-key", () -> new Ed25519Key(k))).orElse(null);
        return signers.isEmpty() && key == null ? Optional.empty() : Optional.of(new Signatures(signers, key));
    }

    private static <T> T check(String setting, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException(setting + ": " + bad.getMessage());
        }
    }

    /** The {@code webhook-signature} header: {@code v1,<sig> v1,<sig> v1a,<sig>}, current secret first. */
    public String header(String id, long timestampSeconds, byte[] body) {
        StringJoiner header = new StringJoiner(" ");
        for (WebhookSigner s : secrets) {
            header.add(s.sign(id, timestampSeconds, body));
        }
        if (signingKey != null) {
            header.add(signingKey.sign(id, timestampSeconds, body));
        }
        return header.toString();
    }

    /** How many keys sign each attempt. */
    public int count() {
        return secrets.size() + (signingKey == null ? 0 : 1);
    }

    /** The {@code whpk_} key receivers verify {@code v1a} signatures with, when an Ed25519 key signs. */
    public Optional<String> publicKey() {
        return Optional.ofNullable(signingKey).map(Ed25519Key::publicKey);
    }
}
