import type { Adapter, AdapterPayload } from 'oidc-provider';

/** Models whose entries are revoked together when their grant is revoked (e.g. on a code replay). */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);
const SWEEP_EVERY = 200;

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

/**
 * An in-memory storage for one provider instance (codes, sessions, interactions, grants). Its own
 * rather than oidc-provider's bundled one, which prints a development-only warning on every start;
 * state is lost on restart, which is right for a test provider. Expired entries are dropped on read
 * and swept every few hundred writes, so a long-running dev server does not grow without bound.
 */
export function createMemoryAdapterFactory(): (model: string) => Adapter {
  const entries = new Map<string, Entry>();
  const secondary = new Map<string, string>();
  const grants = new Map<string, Set<string>>();
  let writes = 0;

  const read = (key: string): AdapterPayload | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };

  const sweep = () => {
    const now = Date.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
    for (const [key, target] of secondary) if (!entries.has(target)) secondary.delete(key);
    for (const [grantId, members] of grants) {
      for (const member of members) if (!entries.has(member)) members.delete(member);
      if (members.size === 0) grants.delete(grantId);
    }
  };

  return (model: string): Adapter => {
    const key = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY;
        entries.set(key(id), { payload, expiresAt });
        if (model === 'Session' && typeof payload.uid === 'string') secondary.set(`sessionUid:${payload.uid}`, key(id));
        if (typeof payload.userCode === 'string') secondary.set(`userCode:${payload.userCode}`, key(id));
        if (GRANTABLE.has(model) && typeof payload.grantId === 'string') {
          const members = grants.get(payload.grantId) ?? new Set<string>();
          members.add(key(id));
          grants.set(payload.grantId, members);
        }
        writes += 1;
        if (writes % SWEEP_EVERY === 0) sweep();
      },
      async find(id) {
        return read(key(id));
      },
      async findByUid(uid) {
        const target = secondary.get(`sessionUid:${uid}`);
        return target ? read(target) : undefined;
      },
      async findByUserCode(userCode) {
        const target = secondary.get(`userCode:${userCode}`);
        return target ? read(target) : undefined;
      },
      async consume(id) {
        const payload = read(key(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        entries.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        for (const member of grants.get(grantId) ?? []) entries.delete(member);
        grants.delete(grantId);
      },
    };
  };
}
