import type { Channel } from './channel.js';

/**
 * What `ChannelRepository.upsert` takes: a channel definition with plaintext
 * credentials (the repository encrypts them).
 *
 * Upsert replaces the whole definition; omitted `modelMap`, `priority`,
 * `weight` and `settings` fall back to their defaults (`{}`, 0, 1, `{}`).
 * `enabled` is different: it is operational state that `setEnabled` (the CLI)
 * toggles, so when omitted an existing channel keeps its current state and a
 * new one starts enabled — re-applying config must not silently re-enable a
 * channel an operator switched off.
 */
export type ChannelInput = Pick<Channel, 'name' | 'type' | 'baseUrl' | 'credentials' | 'models' | 'source'> &
  Partial<Pick<Channel, 'modelMap' | 'priority' | 'weight' | 'enabled' | 'settings'>>;
