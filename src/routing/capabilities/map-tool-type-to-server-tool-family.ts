/**
 * Names that differ from their family once the date is gone: the two
 * tool-search variants are one feature to an operator, the sub-tools that
 * appear as `server_tool_use` names under code execution (`code_execution_20250825`
 * runs bash and a text editor inside its container) belong to it, and the MCP
 * connector's toolset is what `mcp_servers` enables.
 */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['tool_search_tool_bm25', 'tool_search'],
  ['tool_search_tool_regex', 'tool_search'],
  ['bash_code_execution', 'code_execution'],
  ['text_editor_code_execution', 'code_execution'],
  ['mcp_toolset', 'mcp'],
]);

/** Anthropic versions its tools with a trailing `_YYYYMMDD`. */
const DATE_VERSION = /_\d{8}$/;

/**
 * The family of an Anthropic-defined tool, from its `type`
 * (`web_search_20250305` → `web_search`, `tool_search_tool_regex_20251119` →
 * `tool_search`) or from a `server_tool_use` block's `name`
 * (`bash_code_execution` → `code_execution`). Operators list families, not
 * versions, so a new version of a tool needs no configuration change; a type
 * not known today keeps its undated name and can be listed the same way.
 * @see ../../../../shared/protocol/anthropic-protocol.md §1.4
 */
export function mapToolTypeToServerToolFamily(options: { type: string }): string {
  const undated = options.type.replace(DATE_VERSION, '');
  return ALIASES.get(undated) ?? undated;
}
