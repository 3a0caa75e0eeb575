import type { AnthropicToolChoice } from '../../protocol/anthropic/anthropic-tool-choice.js';
import type { AnthropicCustomTool, AnthropicTool } from '../../protocol/anthropic/anthropic-tool.js';
import type { OpenAIChatCompletionRequest } from '../../protocol/openai/openai-chat-completion-request.js';
import type { OpenAITool } from '../../protocol/openai/openai-tool.js';
import type { ToolNameMap } from '../tool-name/tool-name-map.js';
import { UnsupportedFeatureError } from './unsupported-feature-error.js';

export interface ConvertedTools {
  fields: Pick<OpenAIChatCompletionRequest, 'tools' | 'tool_choice' | 'parallel_tool_calls'>;
  warnings: string[];
}

function isCustomTool(tool: AnthropicTool): tool is AnthropicCustomTool {
  const type = (tool as { type?: unknown }).type;
  return type === undefined || type === null || type === 'custom';
}

/**
 * Translates `tools` and `tool_choice` into OpenAI functions.
 *
 * Anthropic-defined tools (`web_search_*`, `code_execution_*`, `bash_*`,
 * `text_editor_*`, `computer_*`, `memory_*`, `tool_search_*`, MCP toolsets,
 * and any `type` not known yet) are refused: the server tools run on
 * Anthropic's side, and the client-run ones (bash, text editor, computer,
 * memory) have no schema to send, only a name Claude was trained on.
 *
 * @see ../../../../shared/protocol/anthropic-protocol.md §1.4, §7.2
 * @see BerriAI/litellm litellm/llms/anthropic/experimental_pass_through/adapters/transformation.py
 *   (`_translate_tools_to_openai`, `translate_anthropic_tool_choice_to_openai`)
 */
export function convertAnthropicToolsToOpenAI(options: {
  tools: AnthropicTool[] | undefined;
  toolChoice: AnthropicToolChoice | undefined;
  toolNames: ToolNameMap;
}): ConvertedTools {
  const { toolChoice, toolNames } = options;
  const warnings: string[] = [];
  const tools: OpenAITool[] = [];

  for (const tool of options.tools ?? []) {
    if (!isCustomTool(tool)) {
      throw new UnsupportedFeatureError({
        feature: `tool type "${String((tool as { type?: unknown }).type)}"`,
        detail: `the Anthropic-defined tool "${tool.name}" only exists on Anthropic's API`,
      });
    }
    const fn: OpenAITool['function'] = {
      name: toolNames.toUpstream(tool.name),
      // input_schema has the same JSON Schema meaning as `parameters`;
      // cache_control lives beside it, never inside, so nothing is stripped here.
      parameters: tool.input_schema as Record<string, unknown>,
    };
    if (tool.description !== undefined) fn.description = tool.description;
    tools.push({ type: 'function', function: fn });
    // OpenAI's strict mode has different schema rules (every property
    // required) and would 400 on schemas Anthropic accepts.
    if (tool.strict === true) warnings.push(`tool "${tool.name}": strict was dropped`);
    if (tool.input_examples !== undefined && tool.input_examples.length > 0) {
      warnings.push(`tool "${tool.name}": input_examples were dropped`);
    }
  }

  // OpenAI rejects `tools: []`, and `tool_choice` / `parallel_tool_calls`
  // without tools; with no tools they mean nothing anyway.
  if (tools.length === 0) return { fields: {}, warnings };

  const fields: ConvertedTools['fields'] = { tools };
  if (toolChoice !== undefined) {
    switch (toolChoice.type) {
      case 'auto':
        fields.tool_choice = 'auto';
        break;
      case 'any':
        fields.tool_choice = 'required';
        break;
      case 'tool':
        fields.tool_choice = { type: 'function', function: { name: toolNames.toUpstream(toolChoice.name) } };
        break;
      case 'none':
        fields.tool_choice = 'none';
        break;
      default:
        throw new UnsupportedFeatureError({
          feature: `tool_choice type "${String((toolChoice as { type?: unknown }).type)}"`,
        });
    }
    if ('disable_parallel_tool_use' in toolChoice && toolChoice.disable_parallel_tool_use === true) {
      fields.parallel_tool_calls = false;
    }
  }
  return { fields, warnings };
}
