package dev.appointmentbridge.poll.window;

import java.time.Instant;

import dev.appointmentbridge.source.SourceFetchException;

/** The outcomes of a scan's (or sweep step's) searches, summed up for the source's note on /admin/sources. */
public final class ScanSummary {

    private final WindowPlan plan;
    private final Instant startedAt;
    private final String what;
    private int complete;
    private int searched;
    private int concluded;
    private int failed;
    private int items;
    private int absent;
    private WindowPlan.Unit firstInconclusive;
    private String firstInconclusiveNote;
    private SourceFetchException firstFailure;
    private String firstFailureAt;
    private String onlyNote;

    /** @param what {@code scan} (a window cycle) or {@code sweep step} */
    public ScanSummary(WindowPlan plan, Instant startedAt, String what) {
        this.plan = plan;
        this.startedAt = startedAt;
        this.what = what;
    }

    public void add(WindowPlan.Unit unit, SliceScan.Outcome outcome) {
        searched++;
        items += outcome.items();
        absent += outcome.absent();
        onlyNote = outcome.note();
        if (outcome.complete()) {
            complete++;
        }
        if (outcome.concluded()) {
            concluded++;
        } else if (firstInconclusive == null) {
            firstInconclusive = unit;
            firstInconclusiveNote = outcome.note();
        }
        if (outcome.failure() != null) {
            failed++;
            if (firstFailure == null) {
                firstFailure = outcome.failure();
                firstFailureAt = unit.label() + ": " + outcome.note();
            }
        }
    }

    int searched() {
        return searched;
    }

    int failed() {
        return failed;
    }

    SourceFetchException firstFailure() {
        return firstFailure;
    }

    /** Every search of the plan ran, concluded and missed nothing: the watermark may move. */
    boolean allComplete() {
        return searched == plan.size() && complete == searched;
    }

    /** For one search, its own note; else the totals and the first search that concluded nothing. */
    public String note(int cancelled, String reason) {
        if (plan.size() == 1) {
            return onlyNote;
        }
        String note = what + " at " + startedAt + ": " + searched + " of " + plan.size() + " searches (" + plan.scopes().size()
                + " scopes x " + plan.slices() + " slices), " + concluded + " complete and concluded"
                + (complete < concluded ? " (" + (concluded - complete) + " missed appointments still there)" : "") + "; " + items
                + " items, " + absent + " known ones absent, " + cancelled + " cancelled as " + reason;
        return firstInconclusive == null ? note
                : note + "; first that concluded nothing: " + firstInconclusive.label() + ": " + firstInconclusiveNote;
    }

    String failureMessage() {
        return plan.size() == 1 ? onlyNote
                : failed + " of " + searched + " searches failed, first " + firstFailureAt;
    }
}
