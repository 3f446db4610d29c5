import { AppwriteException } from '@lib/appwrite';
import type { AcceptedRevisions } from '@lib/event-sourcing';

/** One entity tag of a list (RFC 9110 §8.8.3: optional `W/`, then any tag characters in quotes), and what follows it. */
const ENTITY_TAG = /[ \t]*(?:W\/)?"([\x21\x23-\x7e\x80-\xff]*)"[ \t]*(,|$)/y;
/** Our ETags are stream revisions: `"0"`, `"1"`, … written without leading zeros. */
const REVISION = /^(?:0|[1-9][0-9]{0,14})$/;

const malformed = () => new AppwriteException('general_argument_invalid', 'Invalid `If-Match` header: expected `*` or a list of entity tags such as `"3"` or `W/"3"`.');

/**
 * The revisions an `If-Match` header accepts: `*` (any: the resource must exist), or the
 * revisions of its entity tags. A well-formed tag that is not one of our ETags matches nothing;
 * weak tags (`W/"3"`) are taken as their strong form, since a proxy may have weakened ours.
 * Null when the header is absent; 400 `general_argument_invalid` when it is malformed.
 */
export function parseIfMatch(header: string | string[] | undefined): AcceptedRevisions | null {
  if (header === undefined) return null;
  const text = (Array.isArray(header) ? header.join(', ') : header).trim();
  if (text === '*') return 'any';
  if (text === '') throw malformed();
  const revisions: number[] = [];
  ENTITY_TAG.lastIndex = 0;
  while (ENTITY_TAG.lastIndex < text.length) {
    const tag = ENTITY_TAG.exec(text);
    if (tag === null || (tag[2] === ',' && ENTITY_TAG.lastIndex === text.length)) throw malformed();
    if (REVISION.test(tag[1])) revisions.push(Number(tag[1]));
  }
  return revisions;
}
