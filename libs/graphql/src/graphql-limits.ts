import { DocumentNode, FieldNode, FragmentDefinitionNode, Kind, SelectionSetNode } from 'graphql';

/**
 * Appwrite's abuse limits of a GraphQL document (graphql-php's QueryDepth and QueryComplexity
 * rules as Appwrite configures them, graphql.md §4), computed on the document alone, before the
 * schema's own validation runs: a hostile document is refused in linear time, whatever its
 * fragments, aliases or nesting. Fragments are measured once each (memoised), so a fragment that
 * spreads another twice, a hundred levels down, costs a hundred steps, not 2^100; a fragment that
 * spreads itself counts nothing here and is refused by validation (NoFragmentCycles).
 */
export interface GraphqlLimits {
  /** Operations per request (a batch). */
  maxBatch: number;
  /** Nesting of fields that have sub-selections, the root fields being depth 0. */
  maxDepth: number;
  /** Every field costs 1 + its children; a list route's field costs its children × its `limit`. */
  maxComplexity: number;
  /** Tokens the parser reads before giving up. */
  maxTokens: number;
  introspection: boolean;
}

export const DEFAULT_GRAPHQL_LIMITS: GraphqlLimits = { maxBatch: 10, maxDepth: 3, maxComplexity: 1000, maxTokens: 10_000, introspection: true };

/** Appwrite's default page size: what a list field costs per child without a limit query. */
const DEFAULT_LIST_LIMIT = 25;

interface Measure {
  depth: number;
  complexity: number;
}

/**
 * `listFields`: the root fields whose route lists (takes `queries`); their cost multiplies by the
 * `limit(n)` among their queries, as Appwrite's complexity function does.
 */
export function measureDocument(document: DocumentNode, listFields: ReadonlySet<string>, variables: Record<string, unknown> = {}): Measure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, Measure>();
  const visiting = new Set<string>();

  const selections = (set: SelectionSetNode, root: boolean): Measure => {
    let depth = -1;
    let complexity = 0;
    for (const node of set.selections) {
      let m: Measure;
      if (node.kind === Kind.FIELD) m = field(node, root);
      else if (node.kind === Kind.INLINE_FRAGMENT) m = selections(node.selectionSet, root);
      else m = spread(node.name.value, root);
      depth = Math.max(depth, m.depth);
      complexity += m.complexity;
    }
    return { depth, complexity };
  };

  const spread = (name: string, root: boolean): Measure => {
    const key = `${root ? 'root' : 'inner'}:${name}`;
    const known = memo.get(key);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || visiting.has(key)) return { depth: -1, complexity: 0 };
    visiting.add(key);
    const m = selections(fragment.selectionSet, root);
    visiting.delete(key);
    memo.set(key, m);
    return m;
  };

  const field = (node: FieldNode, root: boolean): Measure => {
    const children = node.selectionSet ? selections(node.selectionSet, false) : { depth: -1, complexity: 0 };
    // Introspection is bounded by the schema's size; its types nest deeper than any model.
    const depth = node.selectionSet && !node.name.value.startsWith('__') ? children.depth + 1 : -1;
    const complexity = root && listFields.has(node.name.value) ? children.complexity * limitOf(node, variables) : children.complexity + 1;
    return { depth, complexity };
  };

  let depth = 0;
  let complexity = 0;
  for (const d of document.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    const m = selections(d.selectionSet, true);
    depth = Math.max(depth, m.depth);
    complexity = Math.max(complexity, m.complexity);
  }
  return { depth, complexity };
}

/** The `limit(n)` of a field's `queries` argument (a literal list or a variable), else 25. */
function limitOf(node: FieldNode, variables: Record<string, unknown>): number {
  const argument = node.arguments?.find((a) => a.name.value === 'queries');
  if (!argument) return DEFAULT_LIST_LIMIT;
  const v = argument.value;
  const values: unknown[] =
    v.kind === Kind.LIST ? v.values.map((x) => (x.kind === Kind.STRING ? x.value : null)) : v.kind === Kind.STRING ? [v.value] : v.kind === Kind.VARIABLE ? [variables[v.name.value]].flat() : [];
  for (const q of values) {
    if (typeof q !== 'string') continue;
    const plain = /^\s*limit\(\s*(\d+)\s*\)\s*$/.exec(q);
    if (plain) return Number(plain[1]);
    try {
      const json = JSON.parse(q) as { method?: unknown; values?: unknown[] };
      if (json?.method === 'limit' && typeof json.values?.[0] === 'number') return json.values[0];
    } catch {
      // not a JSON query: not a limit
    }
  }
  return DEFAULT_LIST_LIMIT;
}
