/**
 * Checkpoint positions are opaque strings minted by whichever event store runs. The read store
 * must still refuse to move a checkpoint backwards, so it needs an order that works without
 * knowing the event store: digit runs compare as numbers ("10" after "9", "C:12/P:3" after
 * "C:9/P:40"), everything else as text. Adapters accept the event store's own comparator to
 * override this.
 */
export type PositionComparator = (a: string, b: string) => number;

const PART = /\d+|\D+/g;

export const comparePositionsNaturally: PositionComparator = (a, b) => {
  const pa = a.match(PART) ?? [];
  const pb = b.match(PART) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    const xDigits = isDigits(x);
    const yDigits = isDigits(y);
    if (xDigits && yDigits) {
      const d = BigInt(x) - BigInt(y);
      if (d !== 0n) return d < 0n ? -1 : 1;
      // Same number written differently ("007" vs "7"): fall back to text so the order stays total.
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
};

function isDigits(s: string): boolean {
  return s.charCodeAt(0) >= 48 && s.charCodeAt(0) <= 57;
}
