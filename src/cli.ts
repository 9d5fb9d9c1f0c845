/** Command-line entry point: dispatches to one command module per subcommand. */
import { pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import { VERSION } from './version.js';

type CommandModule = { run(argv: string[]): Promise<number> };

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  serve: { summary: 'run the daemon: tail the audit log, watch RBAC and posture, serve /metrics', load: () => import('./serve/command.js') },
  report: { summary: 'one-shot analysis of audit files or stdin', load: () => import('./report/command.js') },
  rbac: { summary: 'list RBAC bindings that grant anything to anonymous identities', load: () => import('./rbac/command.js') },
  check: { summary: 'anonymous-auth posture and unauthenticated lockdown probes', load: () => import('./posture/command.js') },
  'netdata-plugin': { summary: 'Netdata external plugin fed from the daemon /metrics', load: () => import('./netdata/command.js') },
  'lockdown-preview': { summary: 'from audit files: which anonymous clients a lockdown would break', load: () => import('./lockdown/command.js') },
  demo: { summary: 'simulate an API server audit log and run serve on it', load: () => import('./demo/command.js') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(16)}${c.summary}`);
  return `k8s-anon-exporter ${VERSION}\n\nUsage: k8s-anon-exporter <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nOptions:\n  -h, --help      this text\n  -V, --version   print the version\n\nRun 'k8s-anon-exporter <command> --help' for a command's options.\n`;
}

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-V') { process.stdout.write(`${VERSION}\n`); return 0; }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`unknown command: ${JSON.stringify(name)}\n${usage()}`);
    return 1;
  }
  // Range workers start while the command's modules load (only when the arguments call for them).
  if (name === 'report') (await import('./report/prewarm.js')).prewarmFor(rest);
  return (await cmd.load()).run(rest);
}

function isMain(): boolean {
  const argv1 = process.argv[1];
  if (!argv1) return false;
  try { return import.meta.url === pathToFileURL(realpathSync(argv1)).href; } catch { return false; }
}

/** Runs the CLI for this process: exit code, fatal errors and closed pipes handled. */
export function runProcess(argv: string[] = process.argv.slice(2)): void {
  // A closed pipe (`report | head`, Netdata stopping the plugin) ends the process quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); else throw e; });
  main(argv).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => {
      process.stderr.write(`${JSON.stringify({ ts: new Date().toISOString(), level: 'error', msg: 'fatal', error: String((err as Error)?.stack ?? err) })}\n`);
      process.exitCode = 1;
    },
  );
}

if (isMain()) runProcess();
