package dev.turnpike.contract;

/**
 * An attempt ended: settle its reservation to what it used and release the rest. Sent before the next attempt
 * reserves, so a failover never holds two worst cases at once.
 *
 * @param counted whether the attempt counts as a request for request limits (the one that ended the exchange;
 *     an attempt that failed over does not)
 */
public record AttemptSettlement(String requestId, Reservation reservation, Usage usage, boolean counted) {}
