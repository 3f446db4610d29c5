import { makeLog } from '@lib/users/testing';
import { toLogModel } from './log.model';
import type { LogRecord } from './logs.read-model';

describe('Log model', () => {
  it('answers the actor the record holds: userId is the actor, not the log owner', () => {
    const record: LogRecord = { ...makeLog('p', 'owner', 1, 'e1', '2024-01-01T00:00:00.000+00:00'), actorId: 'ann', userName: 'Ann', userEmail: 'ann@x.io', mode: 'user' };
    expect(toLogModel(record)).toMatchObject({ event: 'user.update', userId: 'ann', userName: 'Ann', userEmail: 'ann@x.io', mode: 'user', countryCode: '--', countryName: 'Unknown' });
    expect(Object.keys(toLogModel(record))).toEqual([
      'event', 'userId', 'userEmail', 'userName', 'mode', 'userType', 'ip', 'time',
      'osCode', 'osName', 'osVersion', 'clientType', 'clientCode', 'clientName', 'clientVersion', 'clientEngine', 'clientEngineVersion',
      'deviceName', 'deviceBrand', 'deviceModel', 'countryCode', 'countryName',
    ]);
  });

  it('API-key rows have no user and mode admin; records stored before actors were kept answer ""', () => {
    const byKey: LogRecord = { ...makeLog('p', 'owner', 1, 'e1', '2024-01-01T00:00:00.000+00:00'), actorId: '', userName: '', userEmail: '', mode: 'admin' };
    expect(toLogModel(byKey)).toMatchObject({ userId: '', userName: '', userEmail: '', mode: 'admin' });
    const { actorId: _a, userName: _n, userEmail: _e, mode: _m, ...old } = byKey;
    expect(toLogModel(old as LogRecord)).toMatchObject({ userId: '', userName: '', userEmail: '', mode: '' });
  });
});
