/** `rbac` command (stub until the RBAC watcher lands). */
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('rbac: not implemented yet\n');
  return 1;
}
