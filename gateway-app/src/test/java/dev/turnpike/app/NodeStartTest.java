package dev.turnpike.app;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

class NodeStartTest {
  @Test
  void should_fail_rather_than_hang_when_the_port_is_taken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      JsonObject config = new JsonObject()
          .put("server", new JsonObject().put("host", "127.0.0.1").put("port", taken.getLocalPort()))
          .put("cluster", new JsonObject().put("enabled", false));

      Exception error = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
          () -> assertThrows(Exception.class, () -> TurnpikeNode.start(config).await()));

      assertTrue(String.valueOf(error.getMessage()).toLowerCase().contains("address already in use"),
          String.valueOf(error));
    }
  }

  @Test
  void should_fail_with_every_config_problem_when_config_is_invalid() {
    JsonObject config = new JsonObject().put("server", new JsonObject().put("port", -1))
        .put("cluster", new JsonObject().put("enabled", false));

    ConfigException error = assertThrows(ConfigException.class, () -> TurnpikeNode.start(config).await());

    assertTrue(error.getMessage().contains("server.port"));
  }

  @Test
  void should_listen_on_loopback_only_when_the_config_names_no_host() throws Exception {
    JsonObject config = new JsonObject().put("server", new JsonObject().put("port", 0))
        .put("cluster", new JsonObject().put("enabled", false));
    TurnpikeNode node = TurnpikeNode.start(config).await();
    try {
      try (java.net.Socket loopback = new java.net.Socket("127.0.0.1", node.port())) {
        assertTrue(loopback.isConnected());
      }
      java.util.List<InetAddress> others = new java.util.ArrayList<>();
      for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
          if (!address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
            others.add(address);
          }
        }
      }
      for (InetAddress address : others) {
        assertThrows(java.io.IOException.class, () -> {
          try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(address, node.port()), 1000);
          }
        }, "reachable on " + address);
      }
    } finally {
      node.close().await();
    }
  }
}
