package dev.turnpike.contract.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code bedrock} section: what the edge's Bedrock surface ({@code /bedrock/...}) says about itself. Claude Code
 * in Bedrock mode lists the inference profiles at start and picks its model ids among them; the ids then reach the
 * router like any model name ({@code aliases} say where each goes).
 *
 * @param region the region named in the profiles' ARNs ({@code us-east-1} unless set)
 * @param inferenceProfiles the profile ids listed; unless set, the keys of {@code aliases} and the {@code models} of
 *     {@code bedrock}-dialect providers that look like Bedrock ids (a geography prefix such as {@code us.} or
 *     {@code global.}, or {@code anthropic.})
 */
public record BedrockSurfaceConfig(String region, List<String> inferenceProfiles) {
  private static final Set<String> KEYS = Set.of("region", "inference_profiles");
  /** Inference profile ids as AWS defines them (ListInferenceProfiles: 1 to 64 characters of these). */
  private static final Pattern PROFILE_ID = Pattern.compile("[a-zA-Z0-9:.-]{1,64}");
  private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,20}");
  private static final List<String> BEDROCK_ID_PREFIXES = List.of("us.", "us-gov.", "eu.", "apac.", "jp.", "au.",
      "global.", "anthropic.");

  public BedrockSurfaceConfig {
    inferenceProfiles = List.copyOf(inferenceProfiles);
  }

  public static BedrockSurfaceConfig fromJson(JsonObject config, List<String> problems) {
    String path = "bedrock";
    JsonObject json = ConfigValues.section(config, path);
    ConfigValues.known(json, path, KEYS, problems);
    String region = ConfigValues.text(json, path, "region", "us-east-1", problems);
    if (!REGION.matcher(region).matches()) {
      problems.add(path + ".region must be an AWS region such as us-east-1, not " + region);
      region = "us-east-1";
    }
    List<String> profiles = new ArrayList<>();
    Object listed = json.getValue("inference_profiles");
    if (listed == null) {
      List<String> named = new ArrayList<>(ConfigValues.section(config, "aliases").fieldNames());
      JsonObject providers = ConfigValues.section(config, "providers");
      for (String name : providers.fieldNames()) {
        if (providers.getValue(name) instanceof JsonObject provider && "bedrock".equals(provider.getValue("dialect"))
            && provider.getValue("models") instanceof JsonArray models) {
          models.forEach(model -> named.add(String.valueOf(model)));
        }
      }
      named.stream().filter(BedrockSurfaceConfig::looksLikeBedrockId)
          .filter(id -> PROFILE_ID.matcher(id).matches()).sorted().forEach(profiles::add);
    } else if (listed instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        if (array.getValue(i) instanceof String id && PROFILE_ID.matcher(id).matches()) {
          profiles.add(id);
        } else {
          problems.add(path + ".inference_profiles[" + i + "] must be an inference profile id (1 to 64 of "
              + "a-z, A-Z, 0-9, '.', ':', '-'), such as us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        }
      }
    } else {
      problems.add(path + ".inference_profiles must be a list of inference profile ids");
    }
    return new BedrockSurfaceConfig(region, profiles.stream().distinct().toList());
  }

  private static boolean looksLikeBedrockId(String name) {
    return BEDROCK_ID_PREFIXES.stream().anyMatch(name::startsWith);
  }
}
