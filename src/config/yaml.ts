/**
 * YAML parsing for configuration files, loaded on first need: loading the parser costs about 25 ms
 * of start-up, which commands run without a configuration file need not pay.
 */

let parser: ((text: string) => unknown) | undefined;

/** Loads the parser (once); `prepare` does this whenever `--config` is given. */
export async function loadYamlParser(): Promise<void> {
  parser ??= (await import('yaml')).parse as (text: string) => unknown;
}

/** Parses YAML text with the loaded parser. */
export function parseYaml(text: string): unknown {
  if (!parser) throw new Error('internal error: the YAML parser was not loaded before reading a configuration file');
  return parser(text);
}
