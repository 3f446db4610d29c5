import { expectNeedsExistingUser, T_WHEN, userCreated, userSpec } from '../../test/user-events';
import { decideReplaceUserLabels, LabelText, UPDATE_LABELS } from './update-labels';

const spec = userSpec(decideReplaceUserLabels);

describe('Update labels: decide', () => {
  it('needs an existing user (never created, or deleted)', () => expectNeedsExistingUser(decideReplaceUserLabels, { labels: ['vip'], at: T_WHEN }));

  it('replaces the set, dropping repeats and keeping the first order', () =>
    spec
      .given([userCreated(), { type: 'UserLabelsReplaced', occurredAt: T_WHEN, data: { labels: ['old'] } }])
      .when({ labels: ['vip', 'beta', 'vip'], at: T_WHEN })
      .then([{ type: 'UserLabelsReplaced', occurredAt: T_WHEN, data: { labels: ['vip', 'beta'] } }]));

  it('clears the labels with an empty list', () =>
    spec.given([userCreated()]).when({ labels: [], at: T_WHEN }).then([{ type: 'UserLabelsReplaced', occurredAt: T_WHEN, data: { labels: [] } }]));
});

describe('Update labels: the labels parameter', () => {
  const rule = UPDATE_LABELS.params.find((p) => p.name === 'labels')!.rule;
  it.each([[['a']], [['A1b2']], [['x'.repeat(36)]], [[]], [Array.from({ length: 1000 }, (_, i) => `l${i}`)]])('accepts %j', (labels) => expect(rule.check(labels)).toBe(true));
  it.each([[['']], [['x'.repeat(37)]], [['with-dash']], [['space d']], [['ünï']], [[1]], ['vip'], [Array.from({ length: 1001 }, (_, i) => `l${i}`)]])('refuses %j', (labels) =>
    expect(rule.check(labels)).toBe(false),
  );
  it('explains itself as Appwrite does', () => {
    expect(rule.description).toMatch(/^Value must a valid array no longer than 1000 items and Value must be a valid string and at least 1 chars and no longer than 36 chars and only consist of '0, 1, /);
    expect(LabelText.check('abc')).toBe(true);
  });
});
