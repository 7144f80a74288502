package io.timbridge.importing;

/**
 * The operator asked the import to stop (Ctrl+C): thrown before the next TIM call or page, so the page in
 * progress is not checkpointed and the next run redoes it (TIM's dedup keys make the redone calls harmless).
 */
public final class ImportStopped extends RuntimeException {
    public ImportStopped() {
        super("the import was asked to stop", null, false, false);
    }
}
