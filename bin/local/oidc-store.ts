import type { Adapter, AdapterPayload } from 'oidc-provider';

/**
 * Where the local provider keeps its sessions, codes and grants: in memory, as the package's own
 * development adapter does, but stated here so that it says so once in this comment instead of
 * warning on every start. A restart of the local stack signs everyone out of the provider, which
 * the console's own sessions (in the table) survive.
 */
export function memoryAdapter() {
  const items = new Map<string, { payload: AdapterPayload; expires: number }>();
  const live = (key: string) => {
    const item = items.get(key);
    if (!item) return undefined;
    if (item.expires <= Date.now()) {
      items.delete(key);
      return undefined;
    }
    return item.payload;
  };
  return class MemoryAdapter implements Adapter {
    constructor(private readonly model: string) {}
    private key = (id: string) => `${this.model}:${id}`;
    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      items.set(this.key(id), { payload: { ...payload }, expires: Date.now() + expiresIn * 1000 });
    }
    async find(id: string) {
      return live(this.key(id));
    }
    async findByUserCode(userCode: string) {
      for (const [key] of items) if (key.startsWith(`${this.model}:`) && live(key)?.userCode === userCode) return live(key);
      return undefined;
    }
    async findByUid(uid: string) {
      for (const [key] of items) if (key.startsWith(`${this.model}:`) && live(key)?.uid === uid) return live(key);
      return undefined;
    }
    async consume(id: string) {
      const payload = live(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      items.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, item] of items) if (item.payload.grantId === grantId) items.delete(key);
    }
  };
}
