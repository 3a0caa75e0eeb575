/**
 * One part of a Chat Completions message's `content` array.
 *
 * Which roles accept which parts: system/developer/tool take text only,
 * user takes all four, assistant takes text and refusal.
 *
 * @see openai/openai-node src/resources/chat/completions/completions.ts
 *   (`ChatCompletionContentPart`, `ChatCompletionContentPartRefusal`)
 */
export type OpenAIContentPart =
  | OpenAITextContentPart
  | OpenAIImageUrlContentPart
  | OpenAIInputAudioContentPart
  | OpenAIFileContentPart
  | OpenAIRefusalContentPart;

export interface OpenAITextContentPart {
  type: 'text';
  text: string;
}

export interface OpenAIImageUrlContentPart {
  type: 'image_url';
  image_url: {
    /** An `https:` URL or a `data:<media type>;base64,<data>` URI. */
    url: string;
    detail?: 'auto' | 'low' | 'high';
  };
}

export interface OpenAIInputAudioContentPart {
  type: 'input_audio';
  input_audio: {
    /** Base64, without a data-URI prefix. */
    data: string;
    format: 'wav' | 'mp3';
  };
}

export interface OpenAIFileContentPart {
  type: 'file';
  file: {
    /**
     * The file as a data URI (`data:application/pdf;base64,…`). openai-node
     * documents it as "base64 encoded file data"; OpenAI's API rejects a bare
     * base64 string and expects the data-URI form.
     */
    file_data?: string;
    /** An id from OpenAI's Files API. */
    file_id?: string;
    filename?: string;
  };
}

export interface OpenAIRefusalContentPart {
  type: 'refusal';
  refusal: string;
}
