import type { TeamRecord } from './teams.port';

/** Appwrite 1.3's Team model, keys in order; `select` leaves unselected fields at their defaults. */
export function toTeamModel(t: TeamRecord, select?: string[]) {
  const all = !select || select.includes('*');
  const pick = <T>(key: string, value: T, fallback: T): T => (all || select!.includes(key) ? value : fallback);
  return {
    $id: t.id,
    $createdAt: t.createdAt,
    $updatedAt: t.updatedAt,
    name: pick('name', t.name, ''),
    total: pick('total', t.total, 0),
    prefs: all ? prefsModel(t.prefs) : {},
  };
}

export function prefsModel(prefs: Record<string, unknown> | null | undefined): Record<string, unknown> {
  return prefs && typeof prefs === 'object' && !Array.isArray(prefs) ? prefs : {};
}
