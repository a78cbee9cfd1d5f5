package dev.turnpike.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /** Replies with the name of the thread that handled the message. */
  static final class Echo extends VerticleBase {
    @Override
    public Future<?> start() {
      return LoopLocal.<String>consumer(vertx, ADDRESS, message -> message.reply(Thread.currentThread().getName()));
    }
  }

  private List<String> askFromEveryLoop() {
    List<Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Context context = ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext();
      Promise<String> answer = Promise.promise();
      context.runOnContext(v -> vertx.eventBus().<String>request(LoopLocal.address(vertx, ADDRESS), "who?")
          .map(m -> Thread.currentThread().getName() + "->" + m.body()).onComplete(answer));
      answers.add(answer.future());
    }
    return Future.all(answers).await().list();
  }

  @Test
  void should_stay_on_the_senders_loop_when_every_loop_has_an_instance() {
    vertx.deployVerticle(Echo::new, new DeploymentOptions().setInstances(4)).await();

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
    vertx.deployVerticle(Echo::new, new DeploymentOptions().setInstances(1)).await();

    List<String> hops = askFromEveryLoop();

    assertEquals(8, hops.size(), "every request answered, none sent into the void");
    long sameLoop = hops.stream().filter(h -> h.split("->")[0].equals(h.split("->")[1])).count();
    assertEquals(2, sameLoop, "only the instance's own loop (2 of 8 senders) stays local");
  }
}
