/**
 * One dispatched server-sent event, as the WHATWG event-stream rules define it.
 */
export interface SseEvent {
  /**
   * The `event:` field, or undefined when the event named none (or an empty
   * one). The spec treats both as "message"; leaving that default to the
   * caller lets it tell an unnamed event from one literally named "message".
   */
  event: string | undefined;
  /** All `data:` lines of the event, joined with "\n". */
  data: string;
  /**
   * The stream's last event ID when this event was dispatched. Per the spec it
   * persists across events until another `id:` line changes it, so an event
   * without its own `id:` line still carries the previous one; absent while
   * the last event ID is empty.
   */
  id?: string;
}
