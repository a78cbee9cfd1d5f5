package dev.turnpike.provider;

import dev.turnpike.contract.InvokeRequest;
import dev.turnpike.contract.config.ProviderConfig;
import dev.turnpike.provider.auth.UpstreamAuth;

/**
 * Speaks one upstream dialect. An adapter answers only through the sink: {@code head, data*, end} on success,
 * {@code fail} otherwise (an upstream error status is a failure, so the edge can fail over).
 */
public interface DialectAdapter {
  void invoke(InvokeRequest request, ProviderConfig provider, UpstreamAuth auth, StreamSink sink);
}
