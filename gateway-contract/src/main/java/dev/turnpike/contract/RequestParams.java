package dev.turnpike.contract;

/** The few request fields the edge reads without building a tree; routing rules see them as {@code params}. */
public record RequestParams(String model, boolean stream, long maxTokens, boolean hasTools, boolean thinking) {}
