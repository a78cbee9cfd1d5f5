package dev.turnpike.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.DeploymentOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoopLocalTest {
  private static final String ADDRESS = "test.loop-local";
  private Vertx vertx;
  private LoopLocal loopLocal;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
    loopLocal = new LoopLocal();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /** Replies with the name of the thread that handled the message. */
  static final class Echo extends VerticleBase {
    private final LoopLocal loopLocal;

    Echo(LoopLocal loopLocal) {
      this.loopLocal = loopLocal;
    }

    @Override
    public Future<?> start() {
      return loopLocal.<String>consumer(vertx, ADDRESS, message -> message.reply(Thread.currentThread().getName()));
    }
  }

  private List<String> askFromEveryLoop() {
    List<Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Context context = ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext();
      Promise<String> answer = Promise.promise();
      context.runOnContext(v -> vertx.eventBus().<String>request(loopLocal.address(ADDRESS), "who?")
          .map(m -> Thread.currentThread().getName() + "->" + m.body()).onComplete(answer));
      answers.add(answer.future());
    }
    return Future.all(answers).await().list();
  }

  @Test
  void should_stay_on_the_senders_loop_when_every_loop_has_an_instance() {
    vertx.deployVerticle(() -> new Echo(loopLocal), new DeploymentOptions().setInstances(4)).await();

    Set<String> loops = new HashSet<>();
    for (String hop : askFromEveryLoop()) {
      String[] threads = hop.split("->");
      loops.add(threads[0]);
      assertEquals(threads[0], threads[1], "request left its event loop");
    }
    assertEquals(4, loops.size(), "asked from every loop");
  }

  @Test
  void should_fall_back_to_any_instance_when_the_senders_loop_has_none() {
    vertx.deployVerticle(() -> new Echo(loopLocal), new DeploymentOptions().setInstances(1)).await();

    List<String> hops = askFromEveryLoop();

    assertEquals(8, hops.size(), "every request answered, none sent into the void");
    long sameLoop = hops.stream().filter(h -> h.split("->")[0].equals(h.split("->")[1])).count();
    assertEquals(2, sameLoop, "only the instance's own loop (2 of 8 senders) stays local");
  }

  record Question(String requestId, Promise<String> reply) implements Replying<String> {}

  @Test
  void should_fail_the_reply_with_the_request_id_when_a_consumer_throws() {
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return loopLocal.<Question>consumer(vertx, "test.throws", message -> {
          throw new IllegalStateException("a bug in a verticle");
        });
      }
    }, new DeploymentOptions()).await();
    vertx.eventBus().registerDefaultCodec(Question.class, new LocalCodec<>(Question.class));
    Promise<String> reply = Promise.promise();

    vertx.eventBus().send("test.throws", new Question("tp-42", reply), Codecs.LOCAL);

    Throwable error = assertThrows(Exception.class, () -> reply.future().await());
    Failure failure = Failure.from(error);
    assertEquals(FailureCode.INTERNAL, failure.code());
    assertTrue(failure.message().contains("tp-42"), failure.message());
    assertFalse(failure.message().contains("a bug in a verticle"), "no internals reach the client");
  }

  @Test
  void should_start_a_new_registry_empty_so_a_redeploy_never_meets_stale_addresses() {
    vertx.deployVerticle(() -> new Echo(loopLocal), new DeploymentOptions().setInstances(4)).await();
    LoopLocal fresh = new LoopLocal();
    List<String> addresses = new ArrayList<>();
    Context context = ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext();
    Promise<Void> asked = Promise.promise();
    context.runOnContext(v -> {
      addresses.add(loopLocal.address(ADDRESS));
      addresses.add(fresh.address(ADDRESS));
      asked.complete();
    });
    asked.future().await();

    assertTrue(addresses.get(0).startsWith(ADDRESS + "@"), "the registry that saw the deploy has the variant");
    assertEquals(ADDRESS, addresses.get(1), "a fresh registry knows no variant");
  }
}
