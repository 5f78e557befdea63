// Prometheus metrics (prom-client): one registry per service and process, labelled with the service's
// name, holding the default process metrics (event-loop lag included), the HTTP request metrics and the
// database pool's. Label values are bounded sets chosen by the code (route templates, outcomes, methods):
// never a path, an identifier or any text a client sent, so no personal data can reach a label.
import client from 'prom-client';
import type { Database, PoolStats } from '../db/index.ts';

export type { Registry } from 'prom-client';

export interface ServiceMetrics {
  service: string;
  registry: client.Registry;
  counter<L extends string>(name: string, help: string, labelNames: readonly L[]): client.Counter<L>;
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[], collect?: (g: client.Gauge<L>) => void | Promise<void>): client.Gauge<L>;
  histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets?: number[]): client.Histogram<L>;
  http: {
    requests: client.Counter<'method' | 'route' | 'status'>;
    duration: client.Histogram<'method' | 'route' | 'status'>;
  };
  /** Reports a database's pool (size, idle, waiting, wait time) while it is open; returns the undo. */
  watchDatabase(db: Database, name: string): () => void;
}

const services = new Map<string, ServiceMetrics>();

/** A bounded label value: `value` when it is one of `allowed`, else `fallback`. */
export function bounded<T extends string>(value: unknown, allowed: readonly T[], fallback: T | 'other' = 'other'): T | 'other' {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** The metrics of `service` in this process (made on first use; every caller shares them). */
export function serviceMetrics(service: string): ServiceMetrics {
  const known = services.get(service);
  if (known) return known;
  const registry = new client.Registry();
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry });
  const made = new Map<string, unknown>();
  const once = <M>(name: string, make: () => M): M => {
    if (!made.has(name)) made.set(name, make());
    return made.get(name) as M;
  };
  const counter: ServiceMetrics['counter'] = (name, help, labelNames) =>
    once(name, () => new client.Counter({ name, help, labelNames: [...labelNames], registers: [registry] }));
  const gauge: ServiceMetrics['gauge'] = (name, help, labelNames, collect) =>
    once(name, () => new client.Gauge({ name, help, labelNames: [...labelNames], registers: [registry], ...(collect ? { collect() { return collect(this); } } : {}) }));
  const histogram: ServiceMetrics['histogram'] = (name, help, labelNames, buckets) =>
    once(name, () => new client.Histogram({ name, help, labelNames: [...labelNames], registers: [registry], ...(buckets ? { buckets } : {}) }));

  const databases = new Set<{ db: Database; name: string }>();
  const poolGauge = (name: string, help: string, read: (s: PoolStats) => number) =>
    gauge(name, help, ['db'], (g) => {
      g.reset();
      for (const { db, name: label } of databases) {
        const stats = db.pool?.stats();
        if (stats) g.inc({ db: label }, read(stats));
      }
    });
  poolGauge('mpid_db_pool_connections', 'Connections the database pool holds (in use or idle)', (s) => s.total);
  poolGauge('mpid_db_pool_idle_connections', 'Idle connections in the database pool', (s) => s.idle);
  poolGauge('mpid_db_pool_waiting_requests', 'Queries waiting for a connection from the pool', (s) => s.waiting);
  poolGauge('mpid_db_pool_max_connections', 'The pool size limit', (s) => s.max);
  // each scrape asks every watched database for SELECT 1 (2 s at most): the "database down" signal
  gauge('mpid_db_up', 'Whether the database answered a query at this scrape (1) or not (0)', ['db'], async (g) => {
    g.reset();
    await Promise.all([...databases].map(async ({ db, name: label }) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), 2000);
      });
      const up = await Promise.race([db.query('SELECT 1'), timeout]).then(() => 1, () => 0);
      clearTimeout(timer);
      g.set({ db: label }, up);
    }));
  });
  const wait = histogram('mpid_db_pool_wait_seconds', 'Time a query waited for a connection from the pool', ['db'], [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]);

  const metrics: ServiceMetrics = {
    service,
    registry,
    counter,
    gauge,
    histogram,
    http: {
      requests: counter('mpid_http_requests_total', 'HTTP requests answered, by method, route template and status', ['method', 'route', 'status']),
      duration: histogram('mpid_http_request_duration_seconds', 'Time to answer an HTTP request, by method, route template and status', ['method', 'route', 'status'], [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]),
    },
    watchDatabase(db, name) {
      const entry = { db, name };
      databases.add(entry);
      const stop = db.pool?.onWait((seconds) => wait.observe({ db: name }, seconds));
      return () => {
        databases.delete(entry);
        stop?.();
      };
    },
  };
  services.set(service, metrics);
  return metrics;
}
