import { Redis } from 'ioredis';

/** Deletes every key under `prefix`, so a test run leaves the shared Redis as it found it. */
export async function deleteRedisKeys(options: { url: string; prefix: string }): Promise<void> {
  const client = new Redis(options.url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${options.prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await client.quit();
  }
}
