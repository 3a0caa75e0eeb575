/**
 * A citation attached to a text block: sent back in requests (`citations` on a
 * text block param) and received in responses and `citations_delta` events.
 * Responses add fields (e.g. `file_id`), hence the index signatures.
 * @see ../../../../shared/protocol/anthropic-protocol.md §1.3, §3.4
 */
export type AnthropicTextCitation =
  | {
      type: 'char_location';
      cited_text: string;
      document_index: number;
      document_title: string | null;
      start_char_index: number;
      end_char_index: number;
      [field: string]: unknown;
    }
  | {
      type: 'page_location';
      cited_text: string;
      document_index: number;
      document_title: string | null;
      start_page_number: number;
      end_page_number: number;
      [field: string]: unknown;
    }
  | {
      type: 'content_block_location';
      cited_text: string;
      document_index: number;
      document_title: string | null;
      start_block_index: number;
      end_block_index: number;
      [field: string]: unknown;
    }
  | {
      type: 'web_search_result_location';
      cited_text: string;
      encrypted_index: string;
      title: string | null;
      url: string;
      [field: string]: unknown;
    }
  | {
      type: 'search_result_location';
      cited_text: string;
      search_result_index: number;
      source: string;
      title: string | null;
      start_block_index: number;
      end_block_index: number;
      [field: string]: unknown;
    };
