/** Fenced code blocks of a Markdown document and what their shell lines use; for the README test. */

export interface CodeBlock {
  /** The info string's first word, lower-cased ('' for a bare fence). */
  lang: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
}

export function fencedBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]);
    if (!open) continue;
    const fence = open[1];
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(lines[j])) body.push(lines[j++]);
    blocks.push({ lang: open[2].toLowerCase(), code: body.join('\n'), line: i + 1 });
    i = j;
  }
  return blocks;
}

export interface ShellCommand {
  /** 1-based line in the document. */
  line: number;
  /** The command without its comment, continuation lines joined. */
  text: string;
  /** The comment at the end of its last line, without the `#` ('' when none). */
  comment: string;
}

/** Splits off a `#` comment that is not inside quotes: [code, comment]. */
function splitComment(line: string): [string, string] {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return [line.slice(0, i), line.slice(i + 1).trim()];
  }
  return [line, ''];
}

/** The commands of a shell block (comments and blank lines dropped, `\` continuations joined). */
export function shellCommands(block: CodeBlock): ShellCommand[] {
  const out: ShellCommand[] = [];
  let pending: ShellCommand | null = null;
  block.code.split('\n').forEach((raw, index) => {
    const [code, comment] = splitComment(raw);
    const text = code.trimEnd();
    const continued = text.endsWith('\\');
    const part = continued ? text.slice(0, -1) : text;
    pending = pending ? { line: pending.line, text: `${pending.text} ${part.trim()}`, comment } : { line: block.line + 1 + index, text: part.trim(), comment };
    if (!continued) {
      if (pending.text) out.push(pending);
      pending = null;
    }
  });
  if (pending && (pending as ShellCommand).text) out.push(pending);
  return out;
}

/** The simple commands of a line: split on &&, ||, ; and |. */
export function segments(command: string): string[] {
  return command
    .split(/&&|\|\||;|\|/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** The words of a simple command after its leading `VAR=value` assignments (and `export`). */
function commandWords(segment: string): string[] {
  const words = segment.split(/\s+/);
  let i = 0;
  while (i < words.length && (ASSIGNMENT.test(words[i]) || words[i] === 'export')) i++;
  return words.slice(i);
}

/** The package.json scripts `npm run x`, `npm start`, `npm test` ... lines ask for. */
export function npmScriptsUsed(command: string): string[] {
  const aliases: Record<string, string> = { start: 'start', test: 'test', t: 'test', tst: 'test', stop: 'stop', restart: 'restart' };
  const used: string[] = [];
  for (const segment of segments(command)) {
    const words = commandWords(segment).filter((w) => !w.startsWith('-') || w === '--');
    const npm = words.indexOf('npm');
    if (npm === -1) continue;
    const [sub, script] = words.slice(npm + 1);
    if (['run', 'run-script', 'rum', 'urn'].includes(sub) && script && script !== '--') used.push(script);
    else if (aliases[sub]) used.push(aliases[sub]);
  }
  return used;
}

/** Environment variables a line sets (`VAR=...`, `export VAR=...`) or reads (`$VAR`, `${VAR}`); upper-case names only. */
export function envVarsUsed(command: string): string[] {
  const names = new Set<string>();
  for (const m of command.matchAll(/(?:^|[\s;&|(])([A-Z][A-Z0-9_]*)=/g)) names.add(m[1]);
  for (const m of command.matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)) names.add(m[1]);
  return [...names];
}

/** Whether a simple command is `npm run <script> ...`. */
export function isNpmRun(segment: string, script: string): boolean {
  const words = commandWords(segment);
  return words[0] === 'npm' && npmScriptsUsed(segment)[0] === script && /^(run|run-script)$/.test(words.filter((w) => !w.startsWith('-'))[1] ?? '');
}
