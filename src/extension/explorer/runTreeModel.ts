// The explorer's tree as plain objects: projects → (groups →) runs. Nodes keep their identity
// across refreshes (VS Code matches tree elements by reference), so a refresh can say exactly
// which rows changed instead of redrawing the tree. No `vscode` import.

import type { GroupCount, RunInfo, RunKey } from '../../core/model';

export interface ProjectNode {
  readonly kind: 'project';
  readonly id: string;
  readonly name: string;
  runCount: number;
  runningCount: number;
  /** Every run of the project, filter or not. */
  totalRuns: number;
}

export interface GroupNode {
  readonly kind: 'group';
  readonly id: string;
  readonly project: string;
  readonly group: string;
  runCount: number;
  runningCount: number;
}

export interface RunNode {
  readonly kind: 'run';
  readonly id: string;
  readonly key: RunKey;
  run: RunInfo;
  /** Epoch seconds when `run` was read. */
  fetchedAt: number;
}

/** "Show more" at the end of a project whose runs are read a page at a time. */
export interface MoreNode {
  readonly kind: 'more';
  readonly id: string;
  readonly project: string;
  /** Runs of the project (that match the filter) not shown yet. */
  remaining: number;
}

export type RunTreeNode = ProjectNode | GroupNode | RunNode | MoreNode;

/** One project's runs as the store listed them: already filtered and sorted, maybe one page. */
export interface ProjectRuns {
  readonly name: string;
  readonly runs: readonly RunInfo[];
  readonly totalRuns: number;
  /** Runs that match the filter, shown or not (default: the runs given). */
  readonly matching?: number;
  /** Of those, how many are running (default: counted from the runs given). */
  readonly running?: number;
  /** Each group's counts over the whole project (default: counted from the runs given). */
  readonly groups?: readonly GroupCount[];
}

/** What to tell the view: nothing, everything, or these nodes (each with its subtree). */
export type TreeDelta = { readonly kind: 'none' } | { readonly kind: 'all' } | { readonly kind: 'nodes'; readonly nodes: readonly RunTreeNode[] };

/** Above this many changed rows one full refresh is cheaper than many small ones. */
const MAX_NODE_EVENTS = 100;
const ROOT = '';

export class RunTreeModel {
  private nodes = new Map<string, RunTreeNode>();
  private children = new Map<string, RunTreeNode[]>();
  private parents = new Map<string, RunTreeNode>();
  private prints = new Map<string, string>();

  /**
   * Replaces the tree with `projects`. `fingerprint` renders a node to a string that changes
   * whenever its row would look different. With `hideEmpty` (a filter is on), projects
   * without a matching run are left out.
   */
  update(projects: readonly ProjectRuns[], fetchedAt: number, fingerprint: (node: RunTreeNode) => string, hideEmpty: boolean): TreeDelta {
    const oldNodes = this.nodes;
    const oldChildren = this.children;
    const oldPrints = this.prints;
    this.nodes = new Map();
    this.children = new Map();
    this.parents = new Map();
    this.prints = new Map();

    const reuse = <T extends RunTreeNode>(fresh: T): T => {
      const old = oldNodes.get(fresh.id);
      if (!old || old.kind !== fresh.kind) return fresh;
      Object.assign(old, fresh);
      return old as T;
    };

    const roots: RunTreeNode[] = [];
    for (const p of projects) {
      const matching = p.matching ?? p.runs.length;
      if (hideEmpty && matching === 0) continue;
      const project = reuse<ProjectNode>({
        kind: 'project',
        id: `project:${p.name}`,
        name: p.name,
        runCount: matching,
        runningCount: p.running ?? p.runs.filter((r) => r.state === 'running').length,
        totalRuns: p.totalRuns,
      });
      roots.push(project);
      const groups = new Map<string, { node: GroupNode; runs: RunNode[] }>();
      const loose: RunNode[] = [];
      for (const info of p.runs) {
        const run = reuse<RunNode>({ kind: 'run', id: `run:${info.key}`, key: info.key, run: info, fetchedAt });
        if (info.group) {
          let g = groups.get(info.group);
          if (!g) {
            const node = reuse<GroupNode>({ kind: 'group', id: `group:${p.name}/${info.group}`, project: p.name, group: info.group, runCount: 0, runningCount: 0 });
            g = { node, runs: [] };
            groups.set(info.group, g);
          }
          g.runs.push(run);
        } else {
          loose.push(run);
        }
      }
      const projectChildren: RunTreeNode[] = [];
      const counted = new Map((p.groups ?? []).map((g) => [g.group, g]));
      for (const { node, runs } of groups.values()) {
        const count = counted.get(node.group);
        node.runCount = count ? Math.max(count.runCount, runs.length) : runs.length;
        node.runningCount = count ? count.runningCount : runs.filter((r) => r.run.state === 'running').length;
        projectChildren.push(node);
        this.setChildren(node, runs);
      }
      projectChildren.push(...loose);
      if (p.runs.length < matching) {
        projectChildren.push(reuse<MoreNode>({ kind: 'more', id: `more:${p.name}`, project: p.name, remaining: matching - p.runs.length }));
      }
      this.setChildren(project, projectChildren);
    }
    this.children.set(ROOT, roots);
    for (const node of this.nodes.values()) this.prints.set(node.id, fingerprint(node));

    // Which rows changed: a parent whose list of children changed, or a row that looks different.
    if (!sameIds(oldChildren.get(ROOT), roots)) return { kind: 'all' };
    const changed = new Set<RunTreeNode>();
    for (const [id, list] of this.children) {
      if (id !== ROOT && !sameIds(oldChildren.get(id), list)) changed.add(this.nodes.get(id)!);
    }
    for (const [id, print] of this.prints) {
      if (oldPrints.has(id) && oldPrints.get(id) !== print) changed.add(this.nodes.get(id)!);
    }
    return this.delta(changed);
  }

  /** Re-renders the given nodes (e.g. running runs whose duration ticks) and says which changed. */
  rerender(nodes: readonly RunTreeNode[], fingerprint: (node: RunTreeNode) => string): TreeDelta {
    const changed = new Set<RunTreeNode>();
    for (const node of nodes) {
      if (this.nodes.get(node.id) !== node) continue;
      const print = fingerprint(node);
      if (this.prints.get(node.id) !== print) {
        this.prints.set(node.id, print);
        changed.add(node);
      }
    }
    return this.delta(changed);
  }

  private delta(changed: Set<RunTreeNode>): TreeDelta {
    // A refreshed parent redraws its subtree: leave out nodes under another changed node.
    const nodes = [...changed].filter((n) => {
      for (let p = this.parents.get(n.id); p; p = this.parents.get(p.id)) if (changed.has(p)) return false;
      return true;
    });
    if (nodes.length === 0) return { kind: 'none' };
    if (nodes.length > MAX_NODE_EVENTS) return { kind: 'all' };
    return { kind: 'nodes', nodes };
  }

  private setChildren(parent: RunTreeNode, list: RunTreeNode[]): void {
    this.nodes.set(parent.id, parent);
    this.children.set(parent.id, list);
    for (const child of list) {
      this.nodes.set(child.id, child);
      this.parents.set(child.id, parent);
    }
  }

  getChildren(node?: RunTreeNode): RunTreeNode[] {
    return this.children.get(node ? node.id : ROOT) ?? [];
  }

  getParent(node: RunTreeNode): RunTreeNode | undefined {
    return this.parents.get(node.id);
  }

  findRun(key: RunKey): RunNode | undefined {
    const node = this.nodes.get(`run:${key}`);
    return node?.kind === 'run' ? node : undefined;
  }

  /** Every run node, in tree order. */
  runs(): RunNode[] {
    const out: RunNode[] = [];
    const walk = (list: readonly RunTreeNode[]): void => {
      for (const n of list) {
        if (n.kind === 'run') out.push(n);
        else if (n.kind !== 'more') walk(this.getChildren(n));
      }
    };
    walk(this.getChildren());
    return out;
  }

  get isEmpty(): boolean {
    return this.getChildren().length === 0;
  }
}

function sameIds(a: readonly RunTreeNode[] | undefined, b: readonly RunTreeNode[]): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.id !== b[i]!.id) return false;
  return true;
}
