import type { ChannelCredentials } from './channel-credentials.js';

/** An upstream the gateway can route requests to, with its credentials decrypted. */
export interface Channel {
  id: string;
  /** Unique; the natural key used by config and the CLI. */
  name: string;
  /** Provider kind, e.g. `anthropic` (later `openai`, …); interpreted by the router, not by storage. */
  type: string;
  baseUrl: string;
  credentials: ChannelCredentials;
  /** Client model patterns this channel serves. */
  models: string[];
  /** Client model name -> upstream model name. */
  modelMap: Record<string, string>;
  /** Higher is preferred. */
  priority: number;
  /** Relative share of traffic among channels of equal priority. */
  weight: number;
  enabled: boolean;
  /** Provider-specific settings, opaque to storage. */
  settings: Record<string, unknown>;
  /** Who last wrote the channel definition. */
  source: 'config' | 'cli' | 'bootstrap' | 'api';
  /** Milliseconds since the epoch. */
  createdAt: number;
  updatedAt: number;
}
