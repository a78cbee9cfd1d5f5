package dev.turnpike.app;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The config problems of dialect {@code azure}: the resource's key, its endpoint (the resource root: the dialect
 * adds {@code /openai/...} and {@code /anthropic/...} itself), the {@code api-version} and the model-to-deployment
 * map; and those two settings on a dialect that would ignore them.
 */
final class AzureSettings {
  private static final Pattern API_VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(-preview)?");
  /** An endpoint copied with the path of one of the two APIs, which the dialect adds itself. */
  private static final Pattern API_PATH = Pattern.compile("(?i).*/(anthropic|openai)(/.*)?");
  private static final List<String> OWN_SETTINGS = List.of("deployments", "api_version");

  private AzureSettings() {}

  static void problems(String name, JsonObject provider, boolean hasKeys, List<String> problems) {
    String where = "providers." + name;
    if (!hasKeys) {
      problems.add(where + " (azure) needs keys: the resource's API key (Keys and Endpoint in the Azure portal)");
    }
    if (provider.getValue("base_url") instanceof String baseUrl && API_PATH.matcher(baseUrl).matches()) {
      problems.add(where + ".base_url must be the resource's endpoint (https://{resource}.services.ai.azure.com or "
          + "https://{resource}.openai.azure.com) without a path, not " + baseUrl);
    }
    Object version = provider.getValue("api_version");
    if (version != null && !(version instanceof String v && API_VERSION.matcher(v).matches())) {
      problems.add(where + ".api_version must be an Azure OpenAI API version such as 2024-10-21 or "
          + "2025-04-01-preview, not " + version);
    }
    Object deployments = provider.getValue("deployments");
    if (deployments != null && !(deployments instanceof JsonObject)) {
      problems.add(where + ".deployments must map model names to deployment names, e.g. "
          + "{\"gpt-5\": \"my-gpt5-deployment\"}");
    } else if (deployments instanceof JsonObject map) {
      for (String model : map.fieldNames()) {
        if (!(map.getValue(model) instanceof String deployment) || deployment.isBlank()) {
          problems.add(where + ".deployments." + model + " must be the name of a deployment, not "
              + map.getValue(model));
        }
      }
    }
  }

  /** Settings only dialect {@code azure} reads would be silently ignored elsewhere. */
  static void misplaced(String name, JsonObject provider, List<String> problems) {
    for (String setting : OWN_SETTINGS) {
      if (provider.containsKey(setting)) {
        problems.add("providers." + name + "." + setting + " applies to dialect azure only");
      }
    }
  }
}
