package dev.weft.faults.history;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An operation with its invocation and completion joined.
 *
 * @param id the operation id
 * @param process the worker
 * @param node the node it ran on
 * @param f its kind ({@link Fn})
 * @param pod the pod it concerns, or null
 * @param arg the invocation's argument, or null
 * @param invokeNanos when it started
 * @param completeNanos when it completed; for an operation that never completed, the end of the
 *     history
 * @param outcome OK, FAIL or INFO (an operation that never completed counts as INFO)
 * @param result the OK value, or null
 * @param error the FAIL or INFO reason, or null
 */
public record Op(
        long id,
        String process,
        String node,
        String f,
        String pod,
        JsonNode arg,
        long invokeNanos,
        long completeNanos,
        Event.Type outcome,
        JsonNode result,
        String error) {

    public boolean ok() {
        return outcome == Event.Type.OK;
    }

    public boolean failed() {
        return outcome == Event.Type.FAIL;
    }

    public boolean indeterminate() {
        return outcome == Event.Type.INFO;
    }

    /** Completion minus invocation, in nanoseconds. */
    public long latencyNanos() {
        return completeNanos - invokeNanos;
    }
}
