/** `npm run docs`: the configuration and metrics references and the example configuration. */
import { configExample, configMarkdown } from './config-doc.js';
import { metricDocs, metricsMarkdown } from './metrics-doc.js';
import { documentationRegistry } from './registry.js';

/** Every generated documentation file (path relative to the repository root) with its content. */
export async function renderDocs(): Promise<Map<string, string>> {
  return new Map([
    ['docs/configuration.md', configMarkdown()],
    ['docs/metrics.md', metricsMarkdown(await metricDocs(documentationRegistry()))],
    ['deploy/config.example.yaml', configExample()],
  ]);
}
