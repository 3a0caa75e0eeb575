import type { RoutableChannel } from './routable-channel.js';

/** One place a request can be sent: a channel, its credential and the model name the upstream knows. */
export interface Target {
  channel: RoutableChannel;
  credential: string;
  /** Position of the credential in the channel's list: its identity for health and cool-downs. */
  credentialIndex: number;
  upstreamModel: string;
}
