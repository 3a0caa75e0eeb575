import { z } from 'zod';
import { parseUsdAmount } from '../metering/money/usd-amount.js';
import { LONGEST_TIMER_DELAY_MS } from '../upstream/clamp-timer-delay.js';

/** Milliseconds that become a timer's delay: at most the longest delay Node's timers take (a longer one would fire at once). */
const timerMs = (schema: z.ZodNumber) =>
  schema.max(LONGEST_TIMER_DELAY_MS, `must be at most ${LONGEST_TIMER_DELAY_MS} ms (about 24.8 days), the longest timer Node.js sets`);
const timeoutMs = () => timerMs(z.number().int().positive());

const timeoutsSchema = z
  .object({
    connect_ms: timeoutMs().default(10_000),
    /** Until the upstream's response headers arrive; non-streaming answers can take minutes. */
    first_byte_ms: timeoutMs().default(600_000),
    /** Longest silence between two body chunks. Anthropic pings streams, so five minutes of silence is a dead upstream. */
    idle_ms: timeoutMs().default(300_000),
    /** The whole exchange with this upstream, streaming included; none by default (long streams are normal). */
    total_ms: timeoutMs().optional(),
  })
  .strict();

export const channelConfigSchema = z
  .object({
    name: z.string().min(1).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." and "-" only'),
    /** `anthropic`: an Anthropic Messages upstream; `openai`: anything that speaks Chat Completions. */
    type: z.enum(['anthropic', 'openai']),
    base_url: z.url({ protocol: /^https?$/ }),
    api_key: z.string().min(1).optional(),
    api_keys: z.array(z.string().min(1)).min(1).optional(),
    /** Exact model names and `*` wildcards this channel serves. */
    models: z.array(z.string().min(1)).default([]),
    /** Client model name → upstream model name. Its keys are served too. */
    model_map: z.record(z.string().min(1), z.string().min(1)).default({}),
    priority: z.number().int().default(0),
    weight: z.number().int().positive().default(1),
    /** Omitted: a new channel starts enabled and an existing one keeps the state the CLI gave it. */
    enabled: z.boolean().optional(),
    /** Anthropic channels: how the credential is sent, `x-api-key` (default) or `Authorization: Bearer`. OpenAI channels always use Bearer. */
    auth_header: z.enum(['x-api-key', 'bearer']).optional(),
    /**
     * OpenAI channels: how Anthropic `thinking` is asked for. `reasoning_effort` (OpenAI, vLLM, xAI),
     * `deepseek` (`thinking: {type: enabled}`), `openrouter` (`reasoning: {max_tokens | effort}`), or
     * `none` (dropped, and the response says so in `x-mixroute-thinking`).
     */
    reasoning: z.enum(['reasoning_effort', 'deepseek', 'openrouter', 'none']).optional(),
    /** OpenAI channels: the output limit field; OpenAI's o-series only take `max_completion_tokens`. */
    max_tokens_field: z.enum(['max_tokens', 'max_completion_tokens']).optional(),
    timeouts: timeoutsSchema.prefault({}),
    /** Headers added to every request to this upstream (an organization id, a gateway token…). */
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/), z.string()).default({}),
    /**
     * What this channel can serve, narrowing the defaults (Anthropic channels: everything; OpenAI
     * channels: everything but server tools). Requests needing something else go to other channels.
     */
    capabilities: z
      .object({
        thinking: z.boolean().optional(),
        tools: z.boolean().optional(),
        images: z.boolean().optional(),
        documents: z.boolean().optional(),
        /** Server tool families (`web_search`, `web_fetch`, `code_execution`…), or "*". */
        server_tools: z.union([z.literal('*'), z.array(z.string())]).optional(),
      })
      .strict()
      .optional(),
    /**
     * Anthropic channels: which `anthropic-beta` values this upstream accepts. Anthropic's own API
     * gets every beta; a compatible upstream that rejects some can get an allow or deny list (a
     * trailing `*` matches by prefix), and the others are removed instead of becoming 400s.
     */
    betas: z.object({ allow: z.array(z.string()).optional(), deny: z.array(z.string()).optional() }).strict().optional(),
  })
  .strict()
  .refine((channel) => channel.api_key !== undefined || channel.api_keys !== undefined, {
    message: 'a channel needs api_key or api_keys',
  })
  .refine((channel) => channel.models.length > 0 || Object.keys(channel.model_map).length > 0, {
    message: 'a channel needs models or model_map',
  });

export const keyConfigSchema = z
  .object({
    name: z.string().min(1),
    /** A fixed secret, for bootstrapping and tests; stored hashed. Without it a random key is created once and printed. */
    key: z.string().min(16).optional(),
    user: z.string().min(1).default('admin'),
    /** Model names or `*` patterns this key may use (default: every model). */
    models: z.array(z.string().min(1)).optional(),
    /** Client addresses or CIDR ranges this key may be used from (default: anywhere). */
    allowed_ips: z.array(z.string().min(1)).optional(),
    limits: z
      .object({
        requests_per_minute: z.number().int().positive().optional(),
        tokens_per_minute: z.number().int().positive().optional(),
        concurrent_requests: z.number().int().positive().optional(),
        /** The most this key may ever spend, in USD as a decimal string ("50", "12.5"). */
        quota_usd: z
          .string()
          .refine((text) => (parseUsdAmount(text) ?? -1) >= 0, { message: 'a non-negative amount in USD as a decimal string, e.g. "50" or "12.50"' })
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const serverConfigSchema = z
  .object({
    host: z.string().default('0.0.0.0'),
    port: z.number().int().min(0).max(65_535).default(8080),
    /** SQLite file, generated secret key and other local state live here. */
    data_dir: z.string().default('./data'),
    /** `sqlite:<path>` (default `<data_dir>/mixroute.db`) or `postgres://…`. */
    database_url: z.string().optional(),
    /** PostgreSQL only: keep mixroute's tables in this schema (created if missing). */
    database_schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lower-case letters, digits and _ only').optional(),
    /** Redis for rate limits shared by several instances (REDIS_URL); without it limits are kept in memory. */
    redis_url: z.string().optional(),
    /** Encrypts upstream credentials at rest: 64 hex chars, base64 of 32 bytes, or a passphrase. */
    secret_key: z.string().optional(),
    /** Anthropic accepts 32 MB on the Messages API; larger bodies get 413 before being read. */
    max_body_bytes: z.number().int().positive().default(32 * 1024 * 1024),
    /** How often running servers look for channel and key changes made by the CLI or other instances. */
    reload_interval_ms: timerMs(z.number().int().positive()).default(2_000),
    /** Ledger rows are written in batches off the response path, at most this long after the response ended. */
    ledger_flush_interval_ms: timerMs(z.number().int().positive()).default(50),
    /**
     * Requests checked against a prepaid balance alone are reserved in memory from a share of the
     * balance this process leases (one transaction per lease instead of one per request); false
     * reserves every request in the database.
     */
    balance_leases: z.boolean().default(true),
    log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** `GET /metrics` (Prometheus). With a token, scrapers must send `Authorization: Bearer <token>`. */
    metrics: z.object({ enabled: z.boolean().default(true), token: z.string().min(1).optional() }).strict().prefault({}),
    /** On SIGTERM: how long in-flight requests and streams may take to finish before they are cut. */
    shutdown_grace_ms: timerMs(z.number().int().min(0)).default(30_000),
    /**
     * Worker processes sharing the port (node:cluster), to use more than one core; 0 = one per
     * core. Rate limits are per process unless redis_url is set, so set it when workers > 1.
     */
    workers: z.number().int().min(0).max(256).default(1),
  })
  .strict();

export const routingConfigSchema = z
  .object({
    /** Targets (channel × credential) one request may try before the client gets the last error. */
    max_attempts: z.number().int().min(1).max(20).default(3),
    /** A committed stream silent this long gets a `ping` event (Claude Code aborts after 300 s of silence). */
    ping_interval_ms: timerMs(z.number().int().min(100)).default(15_000),
    /** A header naming the session, besides x-claude-code-session-id and the session in metadata.user_id. */
    session_header: z.string().toLowerCase().optional(),
    /** How long a session stays on the target that served its last turn. */
    session_ttl_ms: z.number().int().positive().default(3_600_000),
    breaker: z
      .object({
        failure_threshold: z.number().int().min(1).default(5),
        error_rate_threshold: z.number().min(0).max(1).default(0.5),
        minimum_requests: z.number().int().min(1).default(20),
        window_ms: z.number().int().min(1_000).default(60_000),
        cool_down_ms: z.number().int().min(100).default(30_000),
      })
      .strict()
      .prefault({}),
  })
  .strict();

const usdString = z.string().regex(/^\d+(\.\d+)?$/, 'a decimal number of US dollars, e.g. "3" or "0.30"');

/** An operator's price for models matching `model` (exact or `*` wildcard), USD per million tokens. */
export const priceConfigSchema = z
  .object({
    model: z.string().min(1),
    input: usdString,
    output: usdString,
    cache_write_5m: usdString.optional(),
    cache_write_1h: usdString.optional(),
    cache_read: usdString.optional(),
    /** USD per 1,000 uses. */
    web_search_per_1k: usdString.optional(),
    web_fetch_per_1k: usdString.optional(),
    long_context: z
      .object({
        threshold_input_tokens: z.number().int().positive(),
        input: usdString,
        output: usdString,
        cache_write_5m: usdString.optional(),
        cache_write_1h: usdString.optional(),
        cache_read: usdString.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const configSchema = z
  .object({
    server: serverConfigSchema.prefault({}),
    routing: routingConfigSchema.prefault({}),
    channels: z.array(channelConfigSchema).default([]),
    keys: z.array(keyConfigSchema).default([]),
    billing: z
      .object({
        /** Let billed users use models with no price (their requests then cost 0). */
        allow_unpriced: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /** Prices that come before the built-in table of Anthropic's published prices. */
    prices: z.array(priceConfigSchema).default([]),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ChannelConfig = z.infer<typeof channelConfigSchema>;
export type KeyConfig = z.infer<typeof keyConfigSchema>;
export type PriceConfig = z.infer<typeof priceConfigSchema>;
export type ServerConfig = z.infer<typeof serverConfigSchema>;
export type RoutingConfig = z.infer<typeof routingConfigSchema>;
