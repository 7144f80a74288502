package io.timbridge.ops;

/**
 * What an operator watches per route in Hawtio's JMX tree ({@code timbridge > <context> > routes}): progress,
 * lag, rows waiting, dead letters and failures that Camel's own route beans count as completed exchanges
 * (every failure the bridge handles is one), and the last error with TIM's code. Numbers Hawtio can chart.
 */
public interface RouteMonitorMXBean {
    /** import, legacy -> TIM, or TIM -> legacy. */
    String getDirection();

    /** not started, running, finished (import); polling, or stalled (sync). */
    String getState();

    /** Items finished (applied, already in TIM, or dead letters) in this run. */
    long getDone();

    /** Items the legacy database holds for the route (-1: not counted, or not an import). */
    long getExpected();

    double getItemsPerSecond();

    /** Time left at the observed rate or TIM's budget (-1: not an import or unknown). */
    long getEtaSeconds();

    /** Age of the oldest change not yet applied on the other side; 0 when caught up. */
    double getLagSeconds();

    long getRowsWaiting();

    /** Open dead letters of the route in the state database (-1: the state database cannot be read). */
    long getOpenDeadLetters();

    /** TIM calls or rows that failed and were handled (retried, waited for, or made dead letters) since start. */
    long getFailuresHandled();

    /** The newest failure: the route's last failed call, or its newest open dead letter; empty when none. */
    String getLastError();

    /** TIM's error code of {@link #getLastError()}; 0 when none or not from TIM. */
    int getLastErrorCode();
}
