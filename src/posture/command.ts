/** `check` command (stub until the posture inspector lands). */
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('check: not implemented yet\n');
  return 1;
}
