// A TCP proxy in front of Postgres that counts the statements clients run: simple-protocol Query
// ('Q') and extended-protocol Execute ('E') messages. The benchmark points each server at it for
// a short counting pass, so every target's statements per request are measured the same way.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface StatementProxy {
  port: number;
  statements(): number;
  close(): Promise<void>;
}

function countMessages(onStatement: () => void): (chunk: Buffer) => void {
  let buffer = Buffer.alloc(0);
  let started = false;
  return (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (!started) {
        // The startup message has no type byte: int32 length, then the protocol.
        if (buffer.length < 4) return;
        const length = buffer.readInt32BE(0);
        if (buffer.length < length) return;
        buffer = buffer.subarray(length);
        started = true;
        continue;
      }
      if (buffer.length < 5) return;
      const type = String.fromCharCode(buffer[0]!);
      const length = buffer.readInt32BE(1);
      if (buffer.length < 1 + length) return;
      if (type === 'Q' || type === 'E') onStatement();
      buffer = buffer.subarray(1 + length);
    }
  };
}

export async function startStatementProxy(targetPort: number): Promise<StatementProxy> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const inspect = countMessages(() => (count += 1));
    client.on('data', (chunk: Buffer) => {
      inspect(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    statements: () => count,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
