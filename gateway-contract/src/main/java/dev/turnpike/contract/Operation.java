package dev.turnpike.contract;

/** What the client asked for; each provider dialect implements each operation or answers it locally. */
public enum Operation {
  MESSAGES,
  COUNT_TOKENS
}
