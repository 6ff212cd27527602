import { Socket } from "node:net";

/**
 * What this process writes to `port` (a database's or Redis's) while `work` runs: one entry per
 * system call, its bytes as latin1 text (a corked socket sends what it gathered in one).
 */
export async function socketWritesTo(
  port: number,
  work: () => Promise<unknown>,
): Promise<string[]> {
  const writes: string[] = [];
  const originals = { _write: Socket.prototype._write, _writev: Socket.prototype._writev };
  const text = (chunk: unknown) => Buffer.from(chunk as Uint8Array).toString("latin1");
  Socket.prototype._write = function (this: Socket, chunk, encoding, callback) {
    if (this.remotePort === port) writes.push(text(chunk));
    return originals._write.call(this, chunk, encoding, callback);
  };
  Socket.prototype._writev = function (this: Socket, chunks, callback) {
    if (this.remotePort === port) writes.push(chunks.map((c) => text(c.chunk)).join(""));
    return originals._writev!.call(this, chunks, callback);
  };
  try {
    await work();
  } finally {
    Socket.prototype._write = originals._write;
    Socket.prototype._writev = originals._writev;
  }
  return writes;
}
