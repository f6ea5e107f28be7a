import { ConfigError, loadConfig, type Config } from "./env.ts";

/**
 * For the command-line tools (server, seed, keys, tallies): the configuration, or null after
 * printing what is wrong (the caller exits 78, EX_CONFIG). It prints to the terminal on purpose.
 */
export function loadConfigForCli(): Config | null {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return null;
    }
    throw err;
  }
}
