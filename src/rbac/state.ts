/** In-memory index of RBAC objects that keeps the anonymous-binding views up to date incrementally. */
import { deriveBinding } from './bindings.js';
import {
  bindingKey, CAPABILITIES, type BindingKind, type BindingObject, type BindingView, type Capability, type RoleLookup, type RoleObject,
} from './types.js';

/** The four watched resources (plural API names). */
export const RESOURCES = ['clusterrolebindings', 'rolebindings', 'clusterroles', 'roles'] as const;

/** One watched resource. */
export type Resource = (typeof RESOURCES)[number];

/** Everything the metrics and the `rbac` command report. */
export interface RbacSummary {
  bindings: BindingView[];
  unexpectedCount: number;
  capabilities: Record<Capability, boolean>;
}

type Obj = { metadata?: { name?: string; namespace?: string } };
const objKey = (o: Obj): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const BINDING_KIND: Partial<Record<Resource, BindingKind>> = { clusterrolebindings: 'ClusterRoleBinding', rolebindings: 'RoleBinding' };

/** Builds the summary (sorted bindings, unexpected count, capability union) from views. */
export function summarize(views: Iterable<BindingView>): RbacSummary {
  const bindings = [...views].sort((a, b) => bindingKey(a.kind, a.namespace, a.name).localeCompare(bindingKey(b.kind, b.namespace, b.name)));
  const capabilities = Object.fromEntries(CAPABILITIES.map((c) => [c, bindings.some((v) => v.capabilities.includes(c))])) as Record<Capability, boolean>;
  return { bindings, unexpectedCount: bindings.filter((v) => !v.expected).length, capabilities };
}

/** Holds the objects of the four resources and the derived view of every anonymous binding. */
export class RbacIndex implements RoleLookup {
  private readonly store: Record<Resource, Map<string, Obj>> = {
    clusterrolebindings: new Map(), rolebindings: new Map(), clusterroles: new Map(), roles: new Map(),
  };
  private readonly views = new Map<string, BindingView>();

  constructor(private readonly allowList: ReadonlySet<string>) {}

  /** Returns the Role `namespace/name`, if known. */
  role(namespace: string, name: string): RoleObject | undefined { return this.store.roles.get(`${namespace}/${name}`) as RoleObject | undefined; }
  /** Returns the ClusterRole `name`, if known. */
  clusterRole(name: string): RoleObject | undefined { return this.store.clusterroles.get(`/${name}`) as RoleObject | undefined; }
  /** Iterates over all known ClusterRoles. */
  clusterRoles(): Iterable<RoleObject> { return this.store.clusterroles.values() as Iterable<RoleObject>; }

  /** Replaces every object of `resource` with a fresh list result and re-derives what depends on it. */
  replace(resource: Resource, items: readonly Obj[]): void {
    const map = this.store[resource];
    const gone = [...map.values()];
    map.clear();
    for (const o of items) map.set(objKey(o), o);
    const kind = BINDING_KIND[resource];
    if (kind) {
      for (const o of gone) this.rederiveBinding(kind, o);
      for (const o of items) this.rederiveBinding(kind, o);
    } else {
      this.rederiveDependents(resource, undefined);
    }
  }

  /** Adds or replaces one object and re-derives what it touches. */
  upsert(resource: Resource, obj: Obj): void {
    this.store[resource].set(objKey(obj), obj);
    this.touched(resource, obj);
  }

  /** Removes one object and re-derives what it touched. */
  remove(resource: Resource, obj: Obj): void {
    this.store[resource].delete(objKey(obj));
    this.touched(resource, obj);
  }

  /** Current summary of anonymous bindings. */
  summary(): RbacSummary { return summarize(this.views.values()); }

  private touched(resource: Resource, obj: Obj): void {
    const kind = BINDING_KIND[resource];
    if (kind) this.rederiveBinding(kind, obj);
    else this.rederiveDependents(resource, obj);
  }

  private rederiveBinding(kind: BindingKind, obj: Obj): void {
    const ns = kind === 'RoleBinding' ? obj.metadata?.namespace ?? '' : '';
    const key = bindingKey(kind, ns, obj.metadata?.name ?? '');
    const current = this.store[kind === 'RoleBinding' ? 'rolebindings' : 'clusterrolebindings'].get(objKey(obj));
    const view = current ? deriveBinding(kind, current as BindingObject, this, this.allowList) : undefined;
    if (view) this.views.set(key, view);
    else this.views.delete(key);
  }

  /** Re-derives the anonymous bindings whose role a (Cluster)Role change can affect; `obj` undefined means all of that kind. */
  private rederiveDependents(resource: Resource, obj: Obj | undefined): void {
    const roleKind = resource === 'roles' ? 'Role' : 'ClusterRole';
    for (const v of [...this.views.values()]) {
      if (v.roleKind !== roleKind || !this.dependsOn(v, resource, obj)) continue;
      this.rederiveBinding(v.kind, { metadata: { namespace: v.namespace, name: v.name } });
    }
  }

  private dependsOn(v: BindingView, resource: Resource, obj: Obj | undefined): boolean {
    if (obj === undefined) return true;
    const name = obj.metadata?.name ?? '';
    if (resource === 'roles') return v.namespace === (obj.metadata?.namespace ?? '') && v.role === name;
    const aggregated = (this.clusterRole(v.role)?.aggregationRule?.clusterRoleSelectors ?? []).length > 0;
    return v.role === name || aggregated;
  }
}
