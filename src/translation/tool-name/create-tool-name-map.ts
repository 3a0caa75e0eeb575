import { createHash } from 'node:crypto';
import type { ToolNameMap } from './tool-name-map.js';

/**
 * OpenAI's rule for function names. Anthropic allows up to 128 characters
 * (and MCP tools routinely use names like `mcp__server__tool` well past 64).
 *
 * @see openai/openai-node src/resources/shared.ts (`FunctionDefinition.name`)
 */
const VALID_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const INVALID_CHARACTERS = /[^a-zA-Z0-9_-]/g;
/** 55 + '_' + 8 hex digits = 64, the limit; the same split LiteLLM uses. */
const KEPT_PREFIX_LENGTH = 55;

/**
 * The upstream name of one client name, a pure function of that name alone so
 * that every request (and every instance of the gateway) derives the same name
 * and an upstream's prompt cache keyed on the tool list keeps hitting.
 *
 * Valid names pass unchanged. Any other name is sanitized (each invalid
 * character becomes `_`), cut to 55 characters and suffixed with `_` and the
 * first 8 hex digits of the SHA-256 of the ORIGINAL name. The suffix is added
 * even to short names that only needed sanitizing: without it `a.b` would
 * become `a_b` and collide with a real tool called `a_b`.
 *
 * @see BerriAI/litellm litellm/llms/anthropic/experimental_pass_through/adapters/transformation.py
 *   (`truncate_tool_name`: same 55 + hash shape, there for length only)
 */
function deriveUpstreamName(clientName: string): string {
  if (VALID_NAME.test(clientName)) return clientName;
  const hash = createHash('sha256').update(clientName, 'utf8').digest('hex').slice(0, 8);
  // Slice by code units after sanitizing: every character left is ASCII, so
  // no surrogate pair can be cut in half.
  return `${clientName.replace(INVALID_CHARACTERS, '_').slice(0, KEPT_PREFIX_LENGTH)}_${hash}`;
}

/**
 * Builds the name mapping for one request from the tool names the client
 * declared (and those its history uses). Names not given here are still
 * mapped deterministically by `toUpstream`, and remembered so `toClient` can
 * reverse them.
 *
 * Throws if two different client names would map to the same upstream name:
 * the only way is a 32-bit hash collision between a rewritten name and
 * another name, and guessing which tool the model meant would be worse than
 * failing the request.
 */
export function createToolNameMap(names: readonly string[]): ToolNameMap {
  const upstreamByClient = new Map<string, string>();
  const clientByUpstream = new Map<string, string>();

  function add(clientName: string): string {
    const known = upstreamByClient.get(clientName);
    if (known !== undefined) return known;
    const upstreamName = deriveUpstreamName(clientName);
    const owner = clientByUpstream.get(upstreamName);
    if (owner !== undefined && owner !== clientName) {
      throw new Error(`Tool names ${JSON.stringify(owner)} and ${JSON.stringify(clientName)} both map to ${JSON.stringify(upstreamName)}`);
    }
    upstreamByClient.set(clientName, upstreamName);
    clientByUpstream.set(upstreamName, clientName);
    return upstreamName;
  }

  for (const name of names) add(name);

  return {
    toUpstream: add,
    toClient(upstreamName) {
      return clientByUpstream.get(upstreamName) ?? upstreamName;
    },
  };
}
