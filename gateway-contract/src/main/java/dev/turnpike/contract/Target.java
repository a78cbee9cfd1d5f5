package dev.turnpike.contract;

/** One place a request can go: a configured provider, the dialect it speaks, and the upstream model name. */
public record Target(String provider, String dialect, String model) {
  /** The {@code provider/model} form used in logs, usage keys and the models list. */
  public String qualifiedModel() {
    return provider + "/" + model;
  }
}
