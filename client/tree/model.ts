/**
 * The 4C's tree as plain data: grouping, counts, filters and live updates.
 * No runtime dependency on 'vscode' (the TreeDataProvider in provider.ts is a
 * thin wrapper), so all of this is unit-tested under plain Node.
 */
import * as path from 'node:path';
import { LAYERS, SEVERITIES, type Layer, type Severity } from '../../server/engine/types';
import type { WireFinding, WorkspaceFindingsResult } from '../../server/lsp/protocol';
import type { DisposableLike, ImageScanNode, ImageScanResultsSource } from './imageResults';

export type GroupBy = 'rule' | 'file';

/** Where the findings come from: the language server's index in the editor, a fake in tests. */
export interface FindingsSource {
  fetch(): Promise<WorkspaceFindingsResult>;
  /** Fires when the index changed (fourfold/findingsChanged). */
  onDidChange(listener: () => unknown): DisposableLike;
}

export type SeverityCounts = Record<Severity, number>;

export interface LayerNode {
  kind: 'layer';
  id: string;
  layer: Layer;
  label: string;
  /** Findings shown under this layer (after the severity filter). */
  count: number;
  bySeverity: SeverityCounts;
  /** "3 high · 5 medium", or "no findings". */
  description: string;
}

export interface RuleGroupNode {
  kind: 'rule';
  id: string;
  layer: Layer;
  ruleId: string;
  label: string;
  /** Most severe occurrence. */
  severity: Severity;
  count: number;
  description: string;
  docsUri: string;
  findings: WireFinding[];
}

export interface FileGroupNode {
  kind: 'file';
  id: string;
  layer: Layer;
  uri: string;
  /** The file name. */
  label: string;
  /** Folder relative to the workspace root ('' at the root). */
  dir: string;
  description: string;
  severity: Severity;
  count: number;
  findings: WireFinding[];
}

export interface FindingNode {
  kind: 'finding';
  id: string;
  finding: WireFinding;
  label: string;
  description: string;
  tooltip: string;
}

/** A node of the image/dependency scanner (see imageResults.ts). */
export interface ExternalNode {
  kind: 'external';
  id: string;
  node: ImageScanNode;
}

export type TreeNode = LayerNode | RuleGroupNode | FileGroupNode | FindingNode | ExternalNode;

export const LAYER_LABELS: Record<Layer, string> = {
  code: 'Code',
  container: 'Container',
  cluster: 'Cluster',
  cloud: 'Cloud',
};

export function severityRank(s: Severity): number {
  const i = SEVERITIES.indexOf(s);
  return i < 0 ? SEVERITIES.length : i;
}

/** At least as severe as `threshold`. */
export function atLeast(s: Severity, threshold: Severity): boolean {
  return severityRank(s) <= severityRank(threshold);
}

export function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

export function emptyCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

/** "1 critical · 3 high · 5 medium": non-zero severities, most severe first. */
export function describeCounts(counts: SeverityCounts): string {
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length ? parts.join(' · ') : 'no findings';
}

function comparePosition(a: WireFinding, b: WireFinding): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

function compareFindings(a: WireFinding, b: WireFinding): number {
  return a.path.localeCompare(b.path) || comparePosition(a, b);
}

interface BuiltTree {
  roots: LayerNode[];
  children: Map<string, TreeNode[]>;
  parents: Map<string, TreeNode>;
  byId: Map<string, TreeNode>;
  /** Visible findings per layer. */
  findings: Record<Layer, WireFinding[]>;
}

export interface ModelOptions {
  groupBy?: GroupBy;
  /** The view filter; findings below it are hidden. */
  minSeverity?: Severity;
  /** Workspace folder paths, for relative labels. */
  roots?: () => readonly string[];
}

/**
 * The 4C's tree model. Feed it through a FindingsSource (refresh() coalesces
 * bursts of change notifications: the latest index always wins) or directly
 * with update().
 */
export class FindingsTreeModel {
  private result: WorkspaceFindingsResult | undefined;
  private built: BuiltTree | undefined;
  private listeners = new Set<() => unknown>();
  private sourceSubscription: DisposableLike | undefined;
  private imageSource: ImageScanResultsSource | undefined;
  private imageSubscription: DisposableLike | undefined;
  private requested = 0;
  private fetched = 0;
  private loop: Promise<void> | undefined;
  private _groupBy: GroupBy;
  private _minSeverity: Severity;
  private readonly roots: () => readonly string[];
  /** The last fetch failure (server not running, restarting), cleared by a successful fetch. */
  lastError: Error | undefined;

  constructor(
    private readonly source?: FindingsSource,
    options: ModelOptions = {},
  ) {
    this._groupBy = options.groupBy ?? 'rule';
    this._minSeverity = options.minSeverity ?? 'info';
    this.roots = options.roots ?? (() => []);
    if (source) this.sourceSubscription = source.onDidChange(() => void this.refresh());
  }

  dispose(): void {
    this.sourceSubscription?.dispose();
    this.imageSubscription?.dispose();
    this.listeners.clear();
  }

  onDidChange(listener: () => unknown): DisposableLike {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(): void {
    this.built = undefined;
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch {
        // A failing listener must not stop the others.
      }
    }
  }

  /** Whether a result has been received at least once. */
  get loaded(): boolean {
    return this.result !== undefined;
  }
  get scanning(): boolean {
    return this.result?.scanning ?? true;
  }
  get fileCount(): number {
    return this.result?.fileCount ?? 0;
  }
  get skipped(): WorkspaceFindingsResult['skipped'] {
    return this.result?.skipped ?? [];
  }
  /** Every finding of the index, unfiltered. */
  get allFindings(): readonly WireFinding[] {
    return this.result?.findings ?? [];
  }

  get groupBy(): GroupBy {
    return this._groupBy;
  }
  setGroupBy(groupBy: GroupBy): void {
    if (groupBy === this._groupBy) return;
    this._groupBy = groupBy;
    this.fire();
  }

  get minSeverity(): Severity {
    return this._minSeverity;
  }
  setMinSeverity(min: Severity): void {
    if (!isSeverity(min) || min === this._minSeverity) return;
    this._minSeverity = min;
    this.fire();
  }

  /** Replace the snapshot (what a fetch does). */
  update(result: WorkspaceFindingsResult): void {
    this.result = {
      findings: Array.isArray(result.findings) ? result.findings : [],
      scanning: !!result.scanning,
      skipped: Array.isArray(result.skipped) ? result.skipped : [],
      fileCount: typeof result.fileCount === 'number' ? result.fileCount : 0,
    };
    this.fire();
  }

  /**
   * Fetches the index from the source. Calls made while a fetch is running
   * are coalesced into one more fetch after it, so a burst of notifications
   * costs at most two requests and the last answer applied is the newest.
   * Resolves once a fetch that started after this call has been applied.
   */
  refresh(): Promise<void> {
    if (!this.source) return Promise.resolve();
    const ticket = ++this.requested;
    if (!this.loop) {
      this.loop = this.fetchLoop().finally(() => {
        this.loop = undefined;
      });
    }
    const loop = this.loop;
    return loop.then(() => (this.fetched >= ticket ? undefined : this.refresh()));
  }

  private async fetchLoop(): Promise<void> {
    while (this.fetched < this.requested) {
      const target = this.requested;
      try {
        const result = await this.source!.fetch();
        this.fetched = target;
        this.lastError = undefined;
        this.update(result);
      } catch (e) {
        this.fetched = target;
        this.lastError = e instanceof Error ? e : new Error(String(e));
        this.fire();
      }
    }
  }

  /** Image / dependency scan results to show under Container / Code. */
  setImageResults(source: ImageScanResultsSource | undefined): void {
    this.imageSubscription?.dispose();
    this.imageSource = source;
    this.imageSubscription = source?.onDidChange(() => this.fire());
    this.fire();
  }

  private imageNodes(): ImageScanNode[] {
    try {
      return this.imageSource?.results() ?? [];
    } catch {
      return [];
    }
  }
  private dependencyNodes(): ImageScanNode[] {
    try {
      return this.imageSource?.dependencyResults?.() ?? [];
    } catch {
      return [];
    }
  }

  /** Findings at or above the view's minimum severity. */
  visibleFindings(): WireFinding[] {
    const min = this._minSeverity;
    return this.allFindings.filter((f) => LAYERS.includes(f.layer) && atLeast(f.severity, min));
  }

  /** Counts of visible findings per layer and severity. */
  counts(): { total: number; bySeverity: SeverityCounts; byLayer: Record<Layer, { total: number; bySeverity: SeverityCounts }> } {
    const tree = this.tree();
    const bySeverity = emptyCounts();
    const byLayer = {} as Record<Layer, { total: number; bySeverity: SeverityCounts }>;
    let total = 0;
    for (const root of tree.roots) {
      byLayer[root.layer] = { total: root.count, bySeverity: { ...root.bySeverity } };
      total += root.count;
      for (const s of SEVERITIES) bySeverity[s] += root.bySeverity[s];
    }
    return { total, bySeverity, byLayer };
  }

  /**
   * The four layer nodes, or [] when there is nothing to show at all (the
   * view then shows its welcome content).
   */
  getRoots(): TreeNode[] {
    const tree = this.tree();
    const empty =
      tree.roots.every((r) => r.count === 0) && this.imageNodes().length === 0 && this.dependencyNodes().length === 0;
    return empty ? [] : tree.roots;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return this.getRoots();
    if (node.kind === 'external') return this.externalChildren(node);
    return this.tree().children.get(node.id) ?? [];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.tree().parents.get(node.id);
  }

  getNode(id: string): TreeNode | undefined {
    return this.tree().byId.get(id);
  }

  /** The findings a node stands for (itself, or everything under it). */
  findingsOf(node: TreeNode): WireFinding[] {
    switch (node.kind) {
      case 'finding':
        return [node.finding];
      case 'rule':
      case 'file':
        return node.findings;
      case 'layer':
        return this.tree().findings[node.layer];
      case 'external':
        return [];
    }
  }

  /** The finding node of a finding (for reveal). */
  findNode(predicate: (f: WireFinding) => boolean): FindingNode | undefined {
    for (const n of this.tree().byId.values()) if (n.kind === 'finding' && predicate(n.finding)) return n;
    return undefined;
  }

  private externalChildren(node: ExternalNode): TreeNode[] {
    const prefix = node.id.slice(0, node.id.indexOf(':') + 1); // 'I:' or 'D:'
    return (node.node.children ?? []).map((child) => ({ kind: 'external', id: prefix + child.id, node: child }));
  }

  relativePath(filePath: string): string {
    for (const root of this.roots()) {
      const rel = path.relative(root, filePath);
      if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
    }
    return filePath;
  }

  private tree(): BuiltTree {
    return (this.built ??= this.build());
  }

  private build(): BuiltTree {
    const children = new Map<string, TreeNode[]>();
    const parents = new Map<string, TreeNode>();
    const byId = new Map<string, TreeNode>();
    const perLayer = { code: [], container: [], cluster: [], cloud: [] } as Record<Layer, WireFinding[]>;
    for (const f of this.visibleFindings()) perLayer[f.layer].push(f);
    const add = (parent: TreeNode, kids: TreeNode[]) => {
      children.set(parent.id, kids);
      for (const k of kids) {
        parents.set(k.id, parent);
        byId.set(k.id, k);
      }
    };

    const roots: LayerNode[] = [];
    for (const layer of LAYERS) {
      const findings = perLayer[layer].sort(compareFindings);
      const bySeverity = emptyCounts();
      for (const f of findings) bySeverity[f.severity]++;
      const layerNode: LayerNode = {
        kind: 'layer',
        id: `L:${layer}`,
        layer,
        label: LAYER_LABELS[layer],
        count: findings.length,
        bySeverity,
        description: describeCounts(bySeverity),
      };
      roots.push(layerNode);
      byId.set(layerNode.id, layerNode);
      const groups = this._groupBy === 'rule' ? this.groupByRule(layer, findings) : this.groupByFile(layer, findings);
      for (const g of groups) add(g, this.findingNodes(g, g.findings));
      const extra: TreeNode[] = [];
      const external = layer === 'container' ? this.imageNodes() : layer === 'code' ? this.dependencyNodes() : [];
      const prefix = layer === 'container' ? 'I:' : 'D:';
      for (const n of external) extra.push({ kind: 'external', id: prefix + n.id, node: n });
      add(layerNode, [...groups, ...extra]);
    }
    return { roots, children, parents, byId, findings: perLayer };
  }

  private groupByRule(layer: Layer, findings: WireFinding[]): RuleGroupNode[] {
    const groups = new Map<string, RuleGroupNode>();
    for (const f of findings) {
      let g = groups.get(f.ruleId);
      if (!g) {
        g = {
          kind: 'rule',
          id: `R:${layer}:${f.ruleId}`,
          layer,
          ruleId: f.ruleId,
          label: f.title || f.ruleId,
          severity: f.severity,
          count: 0,
          description: '',
          docsUri: f.docsUri,
          findings: [],
        };
        groups.set(f.ruleId, g);
      }
      g.findings.push(f);
      g.count++;
      if (severityRank(f.severity) < severityRank(g.severity)) g.severity = f.severity;
    }
    for (const g of groups.values()) g.description = String(g.count);
    return [...groups.values()].sort(
      (a, b) => severityRank(a.severity) - severityRank(b.severity) || b.count - a.count || a.label.localeCompare(b.label),
    );
  }

  private groupByFile(layer: Layer, findings: WireFinding[]): FileGroupNode[] {
    const groups = new Map<string, FileGroupNode>();
    for (const f of findings) {
      let g = groups.get(f.uri);
      if (!g) {
        const rel = this.relativePath(f.path);
        const slash = rel.lastIndexOf('/');
        g = {
          kind: 'file',
          id: `F:${layer}:${f.uri}`,
          layer,
          uri: f.uri,
          label: slash >= 0 ? rel.slice(slash + 1) : rel,
          dir: slash >= 0 ? rel.slice(0, slash) : '',
          description: '',
          severity: f.severity,
          count: 0,
          findings: [],
        };
        groups.set(f.uri, g);
      }
      g.findings.push(f);
      g.count++;
      if (severityRank(f.severity) < severityRank(g.severity)) g.severity = f.severity;
    }
    for (const g of groups.values()) {
      g.description = g.dir ? `${g.count} · ${g.dir}` : `${g.count}`;
    }
    return [...groups.values()].sort((a, b) => a.dir.localeCompare(b.dir) || a.label.localeCompare(b.label));
  }

  private findingNodes(group: RuleGroupNode | FileGroupNode, findings: WireFinding[]): FindingNode[] {
    // Ids come from the fingerprint (rule + file + covered text), so a finding
    // keeps its id, and its place in the tree, when lines above it shift.
    const seen = new Map<string, number>();
    return findings.map((f) => {
      const key = f.fingerprint || `${f.ruleId}:${f.uri}:${f.range.start.line}:${f.range.start.character}`;
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      const line = f.range.start.line + 1;
      const rel = this.relativePath(f.path);
      const label = group.kind === 'rule' ? `${rel}:${line}` : f.title || f.ruleId;
      const description = group.kind === 'rule' ? f.message : `Ln ${line} · ${f.message}`;
      const tooltip = [
        `${f.title} (${f.severity})`,
        f.message,
        `${rel}:${line}:${f.range.start.character + 1}`,
        [f.ruleId, ...(f.cwe ?? [])].join(' · '),
        f.confidence === 'review' ? 'Review: a sink not traced to untrusted input.' : '',
      ]
        .filter(Boolean)
        .join('\n');
      return { kind: 'finding', id: `${group.id}|${key}#${n}`, finding: f, label, description, tooltip };
    });
  }
}
