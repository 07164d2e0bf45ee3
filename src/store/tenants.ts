import { eq, sql } from 'drizzle-orm';
import { tenants } from '../db/schema';
import type { Executor } from './executor';

export interface Tenant {
  id: string;
  name: string;
  created: string;
}

export class TenantStore {
  constructor(private readonly exec: Executor) {}

  async get(id: string): Promise<Tenant | undefined> {
    return this.exec.first<Tenant>(sql`SELECT ${tenants.id} AS id, ${tenants.name} AS name, ${tenants.created} AS created
      FROM ${tenants} WHERE ${eq(tenants.id, id)}`);
  }

  async list(): Promise<Tenant[]> {
    return this.exec.all<Tenant>(sql`SELECT ${tenants.id} AS id, ${tenants.name} AS name, ${tenants.created} AS created
      FROM ${tenants} ORDER BY ${tenants.id}`);
  }

  /** Inserts the tenant; false when the id is taken. */
  async create(tenant: Tenant): Promise<boolean> {
    const result = await this.exec.run(this.exec.orm.insert(tenants).values(tenant).onConflictDoNothing());
    return (result.meta.changes ?? 0) > 0;
  }
}
