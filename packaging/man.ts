/** A man page (roff) made from what the CLI's `--help` prints, for the Debian package. */
import { execFileSync } from 'node:child_process';

/** Escapes text for a roff no-fill block: backslashes, and leading dots or quotes. */
export function roffEscape(line: string): string {
  const s = line.replace(/\\/g, '\\e').replace(/-/g, '\\-');
  return /^[.']/.test(s) ? `\\&${s}` : s;
}

/** The command names listed under "Commands:" in the top-level help. */
export function commandNames(help: string): string[] {
  const block = help.split(/^Commands:$/m)[1] ?? '';
  const out: string[] = [];
  for (const line of block.split('\n')) {
    const m = /^ {2}([a-z][a-z0-9-]*)\s/.exec(line);
    if (m) out.push(m[1] as string);
    else if (out.length > 0 && line.trim() === '') break;
  }
  return out;
}

const block = (text: string) => ['.nf', ...text.trimEnd().split('\n').map(roffEscape), '.fi'];

/** Builds the page from the help texts; `run(args)` returns what the CLI prints for `args`. */
export function manPage(version: string, run: (args: string[]) => string): string {
  const top = run(['--help']);
  const lines = [
    `.TH K8S-ANON-EXPORTER 1 "" "k8s-anon-exporter ${version}" "User Commands"`,
    '.SH NAME', 'k8s-anon-exporter \\- anonymous access to the Kubernetes API, from the audit log',
    '.SH SYNOPSIS', '.B k8s-anon-exporter', '.I command', '[options]',
    '.SH DESCRIPTION',
    'A node-local daemon for Kubernetes control-plane nodes. It follows the kube-apiserver audit log and exports',
    'metrics on who reaches the API without credentials, what they get, and what allows it.',
    ...block(top),
  ];
  for (const name of commandNames(top)) lines.push(`.SH COMMAND: ${name.toUpperCase()}`, ...block(run([name, '--help'])));
  lines.push('.SH FILES', '.TP', '/etc/k8s-anon-exporter/config.yaml', 'configuration read by the systemd unit',
    '.TP', '/var/lib/k8s-anon-exporter', 'state directory (checkpoint)',
    '.TP', '/usr/share/k8s-anon-exporter', 'RBAC manifest, Netdata plugin and health alarms, example configuration',
    '.SH SEE ALSO', '.BR systemctl (1),', '.BR kube-apiserver (1)', '');
  return lines.join('\n');
}

/** Runs an executable for its help text (exit status ignored: some commands exit 1 on bare usage). */
export function helpRunner(cmd: string, pre: string[] = []): (args: string[]) => string {
  return (args) => {
    try {
      return execFileSync(cmd, [...pre, ...args], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    } catch (e) { return String((e as { stdout?: string }).stdout ?? ''); }
  };
}
