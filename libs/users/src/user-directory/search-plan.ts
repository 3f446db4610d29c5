/**
 * The `search` parameter of List Users (queries.md §6), approximated without MariaDB.
 *
 * Appwrite hands the term to InnoDB boolean-mode full-text search with a `*` appended, so the
 * behaviour to imitate is: any word may match (OR), the last word matches as a prefix, short and
 * stop words are not indexed, a double-quoted term is a phrase. Both read-store adapters plan a
 * search here and index `searchableWords` of each user, so they cannot drift apart.
 */

export type SearchPlan =
  /** All `words` must occur consecutively, in this order, among the user's searchable words. */
  | { mode: 'phrase'; words: string[] }
  /** A user matches if one of its words equals one of `words` or starts with `prefix`. */
  | { mode: 'any'; words: string[]; prefix: string | null }
  /** Nothing left to look for: no user matches. */
  | { mode: 'none' };

/** InnoDB's default full-text stop-word list (INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD). */
export const INNODB_STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about an are as at be by com de en for from how i in is it la of on or that the this to ' +
    'was what when where who will with und www'
  ).split(' '),
);

/** innodb_ft_min_token_size: shorter words never reach the index. */
export const MIN_WORD_LENGTH = 3;

// Combining marks belong to the word they decorate: without them a decomposed "é" (or the
// "i̇" that "İ".toLowerCase() yields) would split a word in two.
const WORD = /[\p{L}\p{M}\p{N}_]+/gu;

/** Lower-cases (JS Unicode lower-casing, as everywhere else in the read model) and splits into words. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** Whether InnoDB would index the word (long enough, not a stop-word). */
export function isIndexableWord(word: string): boolean {
  return [...word].length >= MIN_WORD_LENGTH && !INNODB_STOPWORDS.has(word);
}

export function planSearch(term: string): SearchPlan {
  const cleaned = term.replace(/[@+\-*]/g, ' ').trim();
  if (cleaned.length >= 2 && cleaned.startsWith('"') && cleaned.endsWith('"')) {
    // Every word of the phrase is kept for the consecutive-words check (InnoDB verifies a
    // phrase against the text itself), but a phrase none of whose words is indexed finds
    // nothing in InnoDB, so it finds nothing here either.
    const words = tokenize(cleaned.slice(1, -1));
    return words.some(isIndexableWord) ? { mode: 'phrase', words } : { mode: 'none' };
  }
  const all = tokenize(cleaned);
  if (all.length === 0) return { mode: 'none' };
  const last = all[all.length - 1];
  // A prefix term escapes the minimum length (`jo*` finds "john") but not the stop-word list.
  const prefix = INNODB_STOPWORDS.has(last) ? null : last;
  const words = [...new Set(all.slice(0, -1).filter(isIndexableWord))];
  if (words.length === 0 && prefix === null) return { mode: 'none' };
  return { mode: 'any', words, prefix };
}

/** The words of Appwrite's `search` attribute `"{$id} {email} {phone} {name}"`, in order, repeats kept. */
export function searchableWords(user: { id: string; email: string | null; phone: string | null; name: string }): string[] {
  return tokenize(`${user.id} ${user.email ?? ''} ${user.phone ?? ''} ${user.name}`);
}

/** Reference evaluation of a plan against a user's words (what every adapter must agree with). */
export function matchesSearch(plan: SearchPlan, words: readonly string[]): boolean {
  switch (plan.mode) {
    case 'none':
      return false;
    case 'any': {
      const wanted = new Set(plan.words);
      const prefix = plan.prefix;
      return words.some((w) => wanted.has(w) || (prefix !== null && w.startsWith(prefix)));
    }
    case 'phrase': {
      const n = plan.words.length;
      for (let i = 0; i + n <= words.length; i++) {
        if (plan.words.every((w, j) => words[i + j] === w)) return true;
      }
      return false;
    }
  }
}

/** Where a prefix's index range ends (shared by every read model's list compiler). */
export { prefixUpperBound } from '@lib/read-models';

