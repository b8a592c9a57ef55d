import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A free port for a test coturn (TCP and UDP), a small relay range of its own, and a private folder. */
export async function freeTurnPorts(): Promise<{ port: number; relayMin: number; relayMax: number; dir: string }> {
  const port = await new Promise<number>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address() as net.AddressInfo;
      probe.close(() => resolve(address.port));
    });
  });
  // Relay ports away from the ephemeral range the kernel hands out, picked at random per run.
  const relayMin = 20_000 + Math.floor(Math.random() * 300) * 100;
  return { port, relayMin, relayMax: relayMin + 99, dir: await mkdtemp(path.join(os.tmpdir(), 'parley-turn-')) };
}
