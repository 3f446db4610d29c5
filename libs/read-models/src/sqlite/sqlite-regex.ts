import type Database from 'better-sqlite3';
import { foldRegexCase, MAX_REGEX_STATES, parseQueryRegex, RegexNode, setHas } from '@lib/appwrite';
import type { CodePointSet } from '@lib/appwrite';

/*
 * The `regex` query in SQLite, which has no REGEXP of its own: a SQL function running a
 * Thompson automaton over the value's code points, made deterministic as it goes (the DFA
 * states met are kept). Not JS RegExp: a backtracking engine takes exponential time on patterns
 * like `(a|a)*b`, and this one runs inside a query, on the event loop. Every state set is walked
 * in step, so a character costs at most the automaton's size (capped), and a map lookup once its
 * deterministic state is known.
 */

/** The SQL function: `appwrite_regex(pattern, value)` is 1, 0, or NULL for a NULL value. */
export const REGEX_FUNCTION = 'appwrite_regex';

type State =
  | { kind: 'char'; set: CodePointSet; next: number }
  | { kind: 'split'; next: number; alt: number }
  | { kind: 'start' | 'end'; next: number }
  | { kind: 'match' };

/** A compiled pattern: the automaton (states[0] is the start) and the deterministic states met so far. */
export interface RegexAutomaton {
  states: State[];
  /** Lazily built DFA states by kernel, and the one at the start of a value. */
  dfa: Map<string, DfaState>;
  initial?: DfaState;
}

/**
 * A deterministic state: a set of automaton states (the kernel: where the characters read so
 * far lead, plus the start, since a match may begin anywhere), what its closure reads next, and
 * whether it has matched. Built on first use and kept, so a value costs one map lookup per
 * character once the pattern has seen similar values: the automaton's cost without its factor.
 */
interface DfaState {
  kernel: number[];
  atStart: boolean;
  reads: number[];
  matched: boolean;
  /** Whether the value may end here (the closure with `$` holding); computed when asked. */
  endMatched?: boolean;
  next: Map<number, DfaState>;
}

/** Past this many deterministic states the cache starts over (a pattern can have exponentially many). */
const MAX_DFA_STATES = 4096;

/** Builds the automaton of a folded pattern, states appended to `states`; returns its entry and the holes to patch with what follows. */
function build(node: RegexNode, states: State[]): { entry: number; out: Array<(target: number) => void> } {
  const add = (s: State) => {
    // Validation refuses bigger patterns (regexSize; case folding at most doubles a literal); this only guards against a bypass.
    if (states.length > 2 * MAX_REGEX_STATES + 2) throw new Error(`The regular expression is too large (over ${MAX_REGEX_STATES} states).`);
    states.push(s);
    return states.length - 1;
  };
  const hole = (index: number, field: 'next' | 'alt') => (target: number) => {
    (states[index] as Record<string, unknown>)[field] = target;
  };
  switch (node.kind) {
    case 'chars': {
      const i = add({ kind: 'char', set: node.set, next: -1 });
      return { entry: i, out: [hole(i, 'next')] };
    }
    case 'start':
    case 'end': {
      const i = add({ kind: node.kind, next: -1 });
      return { entry: i, out: [hole(i, 'next')] };
    }
    case 'seq': {
      if (node.items.length === 0) return epsilon(add, hole);
      let first: { entry: number; out: Array<(t: number) => void> } | null = null;
      let pending: Array<(t: number) => void> = [];
      for (const item of node.items) {
        const part = build(item, states);
        for (const patch of pending) patch(part.entry);
        pending = part.out;
        first ??= part;
      }
      return { entry: first!.entry, out: pending };
    }
    case 'alt': {
      // A chain of splits, one per option but the last.
      const parts = node.options.map((o) => build(o, states));
      let entry = parts[parts.length - 1].entry;
      for (let k = parts.length - 2; k >= 0; k--) entry = add({ kind: 'split', next: parts[k].entry, alt: entry });
      return { entry, out: parts.flatMap((p) => p.out) };
    }
    case 'repeat':
      return repeat(node, states, add, hole);
  }
}

function epsilon(add: (s: State) => number, hole: (i: number, f: 'next' | 'alt') => (t: number) => void) {
  const i = add({ kind: 'split', next: -1, alt: -1 });
  // Both branches go to what follows.
  return { entry: i, out: [hole(i, 'next'), hole(i, 'alt')] };
}

/** x{min,max}: min copies in a row, then max - min optional ones (or a loop when unbounded). */
function repeat(node: Extract<RegexNode, { kind: 'repeat' }>, states: State[], add: (s: State) => number, hole: (i: number, f: 'next' | 'alt') => (t: number) => void) {
  const items: RegexNode[] = Array.from({ length: node.min }, () => node.node);
  const head = build({ kind: 'seq', items }, states);
  let out = head.out;
  if (node.max === null) {
    const loop = add({ kind: 'split', next: -1, alt: -1 });
    const body = build(node.node, states);
    for (const patch of out) patch(loop);
    hole(loop, 'next')(body.entry);
    for (const patch of body.out) patch(loop);
    return { entry: head.entry, out: [hole(loop, 'alt')] };
  }
  const skips: Array<(t: number) => void> = [];
  for (let k = node.min; k < node.max; k++) {
    const choice = add({ kind: 'split', next: -1, alt: -1 });
    for (const patch of out) patch(choice);
    const body = build(node.node, states);
    hole(choice, 'next')(body.entry);
    skips.push(hole(choice, 'alt'));
    out = body.out;
  }
  return { entry: head.entry, out: [...out, ...skips] };
}

/** Compiles a pattern of the query syntax for matching lower-cased values. */
export function compileRegex(pattern: string): RegexAutomaton {
  // State 0 is the start: a split whose both branches lead to the pattern's entry.
  const states: State[] = [{ kind: 'split', next: -1, alt: -1 }];
  const { entry, out } = build(foldRegexCase(parseQueryRegex(pattern)), states);
  states[0] = { kind: 'split', next: entry, alt: entry };
  states.push({ kind: 'match' });
  for (const patch of out) patch(states.length - 1);
  return { states, dfa: new Map() };
}

/** Follows splits and anchors from the kernel: the states that read a character next, and whether the match state is reached. */
function closure(states: State[], kernel: number[], atStart: boolean, atEnd: boolean): { reads: number[]; matched: boolean } {
  const seen = new Set<number>();
  const reads: number[] = [];
  const stack = [...kernel];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (seen.has(i)) continue;
    seen.add(i);
    const st = states[i];
    switch (st.kind) {
      case 'match':
        return { reads, matched: true };
      case 'char':
        reads.push(i);
        break;
      case 'split':
        stack.push(st.alt, st.next);
        break;
      case 'start':
        if (atStart) stack.push(st.next);
        break;
      case 'end':
        if (atEnd) stack.push(st.next);
        break;
    }
  }
  return { reads, matched: false };
}

function dfaState(a: RegexAutomaton, kernel: number[], atStart: boolean): DfaState {
  const key = `${atStart ? 's' : ''}${kernel.join(',')}`;
  let state = a.dfa.get(key);
  if (!state) {
    if (a.dfa.size >= MAX_DFA_STATES) a.dfa.clear();
    state = { kernel, atStart, ...closure(a.states, kernel, atStart, false), next: new Map() };
    a.dfa.set(key, state);
  }
  return state;
}

function step(a: RegexAutomaton, from: DfaState, cp: number): DfaState {
  const known = from.next.get(cp);
  if (known) return known;
  const kernel = new Set<number>([0]);
  for (const i of from.reads) {
    const st = a.states[i] as Extract<State, { kind: 'char' }>;
    if (setHas(st.set, cp)) kernel.add(st.next);
  }
  const to = dfaState(a, [...kernel].sort((x, y) => x - y), false);
  from.next.set(cp, to);
  return to;
}

/** Whether `text` contains a match of the automaton (unanchored, like REGEXP). */
export function regexMatches(a: RegexAutomaton, text: string): boolean {
  a.initial ??= dfaState(a, [0], true);
  let state = a.initial;
  for (const ch of text) {
    if (state.matched) return true;
    state = step(a, state, ch.codePointAt(0)!);
  }
  if (state.matched) return true;
  state.endMatched ??= closure(a.states, state.kernel, state.atStart, true).matched;
  return state.endMatched;
}

/** Registers the function on a connection; compiled patterns are kept per connection, the most recent few hundred. */
export function registerRegexFunction(db: Database.Database): void {
  const cache = new Map<string, RegexAutomaton>();
  db.function(REGEX_FUNCTION, { deterministic: true }, (pattern: unknown, value: unknown) => {
    if (value === null || value === undefined) return null;
    const key = String(pattern);
    let automaton = cache.get(key);
    if (!automaton) {
      automaton = compileRegex(key);
      if (cache.size >= 256) cache.clear();
      cache.set(key, automaton);
    }
    return regexMatches(automaton, String(value)) ? 1 : 0;
  });
}
