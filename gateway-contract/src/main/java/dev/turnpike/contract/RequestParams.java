package dev.turnpike.contract;

/**
 * The few request fields the edge reads without building a tree; routing rules see them as {@code body}.
 *
 * @param toolCount how many tools the request offers
 * @param hasImages whether any message carries an image block
 */
public record RequestParams(String model, boolean stream, long maxTokens, boolean hasTools, boolean thinking,
                            int toolCount, boolean hasImages) {}
