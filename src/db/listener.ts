// One long-lived connection that LISTENs for refgraph's notifications (the data version, API key
// revocations) and hands each to its subscription. Postgres delivers a NOTIFY only once its
// transaction commits. When the connection drops it is opened again every second; each
// subscription hears `onConnect` after its LISTEN is in place (to re-read what it may have missed)
// and `onDisconnect` when notifications may be missed.
import pg from 'pg';

export interface Subscription {
  channel: string;
  onNotify(payload: string, connection: pg.Client): void;
  onConnect?(connection: pg.Client): Promise<void> | void;
  onDisconnect?(): void;
}

export interface DatabaseListener {
  /** Close the connection for good. */
  stop(): Promise<void>;
  /**
   * Close the connection now and open it again only after `ms` (Postgres is shutting down and
   * waits for its sessions to end; refgraph must not be the one that holds it up).
   */
  release(ms: number): Promise<void>;
}

const RETRY_MS = 1_000;

export async function listen(
  connectionString: string,
  subscriptions: Subscription[],
  onError: (error: unknown) => void = () => {},
): Promise<DatabaseListener> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const byChannel = new Map(subscriptions.map((subscription) => [subscription.channel, subscription]));

  const disconnected = () => {
    for (const subscription of subscriptions) subscription.onDisconnect?.();
  };

  const reconnectLater = (ms = RETRY_MS) => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((error: unknown) => {
        onError(error);
        reconnectLater();
      });
    }, ms);
  };

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString });
    next.on('error', (error) => {
      onError(error);
      if (client === next) client = undefined;
      disconnected();
      next.end().catch(() => {});
      reconnectLater();
    });
    next.on('notification', (message) => {
      const subscription = byChannel.get(message.channel);
      if (subscription) subscription.onNotify(message.payload ?? '', next);
    });
    try {
      await next.connect();
      for (const channel of byChannel.keys()) await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      // After LISTEN, so nothing can slip between a subscription's re-read and its notifications.
      for (const subscription of subscriptions) await subscription.onConnect?.(next);
    } catch (error) {
      next.end().catch(() => {});
      throw error;
    }
    if (stopped) {
      await next.end();
      return;
    }
    client = next;
  };

  const close = async () => {
    if (retry) clearTimeout(retry);
    retry = undefined;
    const current = client;
    client = undefined;
    disconnected();
    await current?.end().catch(() => {});
  };

  await connect();
  return {
    stop: async () => {
      stopped = true;
      await close();
    },
    release: async (ms) => {
      if (stopped) return;
      await close();
      reconnectLater(ms);
    },
  };
}
