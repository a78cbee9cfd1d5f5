package dev.turnpike.router.affinity;

import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/** Where session bindings live so that every node sees the same one: the cluster's map, or memory. */
public interface AffinityStore {
  /** Binds {@code key} to {@code target} unless it is bound; completes with the binding that holds. */
  CompletionStage<String> bindIfAbsent(String key, String target);

  /** Moves {@code key} from {@code from} to {@code to} unless someone moved it first; completes with what holds. */
  CompletionStage<String> move(String key, String from, String to);

  /** Called with {@code (key, target)} whenever a binding is made or moved anywhere, {@code null} when it ends. */
  void listen(BiConsumer<String, String> listener);
}
