/** `netdata-plugin` command (stub until the plugin lands). */
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('netdata-plugin: not implemented yet\n');
  return 1;
}
