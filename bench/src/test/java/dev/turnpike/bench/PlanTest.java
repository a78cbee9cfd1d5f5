package dev.turnpike.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.turnpike.bench.scenarios.Passthrough;
import dev.turnpike.bench.scenarios.Peer;
import dev.turnpike.bench.scenarios.Small;
import org.junit.jupiter.api.Test;

class PlanTest {
  @Test
  void aQuickRunWarmsUpAtTheFirstRateOfTheLadder() {
    Plan quick = Plan.quickRun();
    assertEquals(500, quick.warmupRate(new Small(), quick.smallLadder()));
    assertEquals(50, quick.warmupRate(new Passthrough(), quick.largeLadder()));
    assertEquals(25, quick.warmupRate(new Peer(), quick.peerLadder()));
  }

  @Test
  void aFullRunStillWarmsUpAtTheMiddleOfTheLadder() {
    Plan full = Plan.fullRun();
    assertEquals(2000, full.warmupRate(new Small(), full.smallLadder()));
    assertEquals(200, full.warmupRate(new Passthrough(), full.largeLadder()));
    assertEquals(25, full.warmupRate(new Peer(), full.peerLadder()));
  }
}
