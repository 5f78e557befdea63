// The stand-in ThaID's storage: its records in memory, per process (it is a test-zone fake of DOPA's
// provider; nothing of it needs to outlive a restart). Expired records are dropped when read.
import type { Adapter, AdapterPayload } from 'oidc-provider';

export function memoryAdapter() {
  const records = new Map<string, { payload: AdapterPayload; expiresAt?: number }>();
  const live = (key: string) => {
    const r = records.get(key);
    if (r?.expiresAt !== undefined && r.expiresAt <= Date.now()) {
      records.delete(key);
      return undefined;
    }
    return r?.payload;
  };
  return class MemoryAdapter implements Adapter {
    readonly model: string;
    constructor(model: string) {
      this.model = model;
    }
    #key = (id: string) => `${this.model}:${id}`;
    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      records.set(this.#key(id), { payload, ...(expiresIn ? { expiresAt: Date.now() + expiresIn * 1000 } : {}) });
    }
    async find(id: string): Promise<AdapterPayload | undefined> {
      return live(this.#key(id));
    }
    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      for (const [key, r] of records) if (key.startsWith(`${this.model}:`) && r.payload.userCode === userCode) return live(key);
      return undefined;
    }
    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      for (const [key, r] of records) if (key.startsWith(`${this.model}:`) && r.payload.uid === uid) return live(key);
      return undefined;
    }
    async consume(id: string): Promise<void> {
      const p = live(this.#key(id));
      if (p) p.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string): Promise<void> {
      records.delete(this.#key(id));
    }
    async revokeByGrantId(grantId: string): Promise<void> {
      for (const [key, r] of records) if (r.payload.grantId === grantId) records.delete(key);
    }
  };
}
