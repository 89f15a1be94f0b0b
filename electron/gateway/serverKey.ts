/**
 * The server's RSA key pair for RSA-signed notices (and, derived from it, the download URL
 * signatures): loaded from a PEM file, created on first start. In a cluster every node signs with
 * one key — the one the shared store holds — since any node's outbox pump may send any notice and
 * an app verifies them all with one public key.
 */
import { generateKeyPairSync, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PgMigration } from '../store/sql/postgresMigrations';
import type { SqlClient } from '../store/sql/SqlClient';

export interface ServerKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  /** The key file, or where the key came from when it is the cluster's. */
  file: string;
}

export function loadOrCreateServerKey(file: string): ServerKey {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  return keyOf(readFileSync(file, 'utf8'), file);
}

function keyOf(pem: string, file: string): ServerKey {
  const privateKey = createPrivateKey(pem);
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKeyPem, file };
}

export const serverKeyPgMigrations: PgMigration[] = [
  {
    id: 'gateway:005_server_key',
    sql: `CREATE TABLE gateway_server_key (id INTEGER PRIMARY KEY CHECK (id = 1), private_pem TEXT NOT NULL);`,
  },
];

/**
 * The cluster's key: the first node to start puts its own there, every node signs with what is
 * there. `adopted` is true when that differs from this node's key file (the file is left alone).
 */
export async function clusterServerKey(store: SqlClient, local: ServerKey): Promise<{ key: ServerKey; adopted: boolean }> {
  const pem = local.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await store.run('INSERT INTO gateway_server_key (id, private_pem) VALUES (1, ?) ON CONFLICT (id) DO NOTHING', [pem]);
  const row = await store.get<{ private_pem: string }>('SELECT private_pem FROM gateway_server_key WHERE id = 1');
  if (!row || row.private_pem === pem) return { key: local, adopted: false };
  return { key: keyOf(row.private_pem, 'the shared store (gateway_server_key)'), adopted: true };
}
