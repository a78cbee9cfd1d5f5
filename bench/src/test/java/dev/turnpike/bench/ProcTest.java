package dev.turnpike.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the harness reads of a process's JIT: how it tells a JVM still warming up (Linux, from /proc). */
class ProcTest {
  @Test
  void should_read_the_compiler_threads_cpu_of_a_jvm_and_grow_as_it_compiles() {
    long self = ProcessHandle.current().pid();
    double before = Proc.compilerCpuSecondsOf(self);
    assertFalse(Double.isNaN(before), "this test's JVM has C1/C2 compiler threads");
    long sum = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    double after = before;
    // new code to compile: the compilers work until the clock moves past a tick (10 ms) of their CPU
    for (int round = 0; after <= before && System.nanoTime() < deadline; round++) {
      sum += warm(round);
      after = Proc.compilerCpuSecondsOf(self);
    }
    assertTrue(after > before, "compiler CPU " + before + " s then " + after + " s (" + sum + ")");
  }

  @Test
  void should_say_nan_for_a_process_without_compiler_threads() throws Exception {
    Process sleep = new ProcessBuilder("sleep", "30").start();
    try {
      assertTrue(Double.isNaN(Proc.compilerCpuSecondsOf(sleep.pid())));
    } finally {
      sleep.destroy();
    }
    assertTrue(Double.isNaN(Proc.compilerCpuSecondsOf(Long.MAX_VALUE)), "no such process");
  }

  /** A little work of a different shape each round, so the JIT has something new to compile. */
  private static long warm(int round) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      text.append(Integer.toHexString(i * (round + 1)));
      if (text.length() > 4096) {
        text.setLength(text.indexOf("a") + 1);
      }
    }
    return text.chars().filter(c -> c % (round % 7 + 2) == 0).count() + java.util.stream.IntStream
        .range(0, 50_000).mapToObj(i -> Integer.valueOf(i ^ round)).map(String::valueOf).mapToInt(String::length)
        .sum();
  }
}
