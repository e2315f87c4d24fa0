/** The SSE event sequence of a streamed `POST /v1/responses`, as the real API sends it. */
import type { ReplyPlan } from './reply-plan.js';
import {
  fileCitation,
  fileSearchCallItem,
  finalMessagePart,
  finishedResponse,
  messageItem,
  outputTextPart,
  responseObject,
} from './response-objects.js';
import type { Citation, StreamFault } from './scripting.js';
import { SERVER_ERROR_MESSAGE } from './wire.js';

/** One thing for the writer to do: send a frame, send a (paced) delta, or end abnormally. */
export type StreamStep =
  | { kind: 'frame'; frame: string }
  | { kind: 'delta'; frame: string }
  | { kind: 'cut' }
  | { kind: 'stall' };

type SseEvent = { type: string } & Record<string, unknown>;

/** Numbers events in order and serializes them as `event: <type>` + `data: <json>` frames. */
class EventSequence {
  private sequenceNumber = 0;

  frame(event: SseEvent): StreamStep {
    const data = JSON.stringify({ ...event, sequence_number: this.sequenceNumber++ });
    return { kind: 'frame', frame: `event: ${event.type}\ndata: ${data}\n\n` };
  }

  /** Delta frames are most of the traffic: built from a template instead of a full stringify. */
  deltaWriter(itemId: string, outputIndex: number): (delta: string) => StreamStep {
    const prefix =
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta",' +
      `"item_id":${JSON.stringify(itemId)},"output_index":${outputIndex},"content_index":0,"delta":`;
    return (delta) => ({
      kind: 'delta',
      frame: `${prefix}${JSON.stringify(delta)},"logprobs":[],"sequence_number":${this.sequenceNumber++}}\n\n`,
    });
  }
}

/** Where the message's text part sits, as every text event names it. */
interface TextLocation {
  item_id: string;
  output_index: number;
  content_index: 0;
}

export function* responseStreamSteps(plan: ReplyPlan): Generator<StreamStep> {
  const events = new EventSequence();
  const inProgress = responseObject(plan, { status: 'in_progress', output: [] });
  yield events.frame({ type: 'response.created', response: inProgress });
  yield events.frame({ type: 'response.in_progress', response: inProgress });
  if (plan.fileSearch) yield* fileSearchSteps(plan, events);

  const location: TextLocation = { item_id: plan.messageId, output_index: plan.fileSearch ? 1 : 0, content_index: 0 };
  const item = messageItem(plan, 'in_progress', []);
  yield events.frame({ type: 'response.output_item.added', output_index: location.output_index, item });
  yield events.frame({ type: 'response.content_part.added', ...location, part: outputTextPart('', []) });
  yield* textSteps(plan, events, location);

  const fault = plan.streamFault;
  if (fault && fault.kind !== 'incomplete') {
    yield faultStep(plan, fault, events);
    return;
  }
  yield* messageDoneSteps(plan, events, location);
  const finished = finishedResponse(plan);
  yield events.frame({ type: `response.${finished.status}`, response: finished });
}

function* fileSearchSteps(plan: ReplyPlan, events: EventSequence): Generator<StreamStep> {
  const call = { output_index: 0, item_id: plan.fileSearch!.itemId };
  const searching = fileSearchCallItem(plan, 'in_progress');
  yield events.frame({ type: 'response.output_item.added', output_index: 0, item: searching });
  yield events.frame({ type: 'response.file_search_call.in_progress', ...call });
  yield events.frame({ type: 'response.file_search_call.searching', ...call });
  yield events.frame({ type: 'response.file_search_call.completed', ...call });
  const searched = fileSearchCallItem(plan, 'completed');
  yield events.frame({ type: 'response.output_item.done', output_index: 0, item: searched });
}

/** The deltas, each citation announced once the text has reached its index. */
function* textSteps(plan: ReplyPlan, events: EventSequence, location: TextLocation): Generator<StreamStep> {
  const deltaStep = events.deltaWriter(location.item_id, location.output_index);
  const pending = [...plan.citations].sort((first, second) => first.index - second.index);
  let annotationIndex = 0;
  const announceUpTo = function* (textLength: number) {
    while (pending.length > 0 && pending[0].index <= textLength) {
      const annotation = fileCitation(pending.shift() as Citation);
      const annotation_index = annotationIndex++;
      yield events.frame({ type: 'response.output_text.annotation.added', ...location, annotation_index, annotation });
    }
  };
  let textLength = 0;
  for (const delta of plan.deltas.slice(0, plan.emittedDeltas)) {
    yield deltaStep(delta);
    textLength += delta.length;
    yield* announceUpTo(textLength);
  }
  if (!plan.streamFault) yield* announceUpTo(Number.POSITIVE_INFINITY);
}

function* messageDoneSteps(plan: ReplyPlan, events: EventSequence, location: TextLocation): Generator<StreamStep> {
  const part = finalMessagePart(plan);
  const item = messageItem(plan, plan.streamFault ? 'incomplete' : 'completed', [part]);
  yield events.frame({ type: 'response.output_text.done', ...location, text: part.text, logprobs: [] });
  yield events.frame({ type: 'response.content_part.done', ...location, part });
  yield events.frame({ type: 'response.output_item.done', output_index: location.output_index, item });
}

type AbruptFault = Exclude<StreamFault, { kind: 'incomplete' }>;

/** The last step of a reply that ends without the done events. */
function faultStep(plan: ReplyPlan, fault: AbruptFault, events: EventSequence): StreamStep {
  switch (fault.kind) {
    case 'cut':
      return { kind: 'cut' };
    case 'stall':
      return { kind: 'stall' };
    case 'failed':
      return events.frame({ type: 'response.failed', response: finishedResponse(plan) });
    case 'error_event': {
      const error = {
        type: fault.error?.type ?? 'server_error',
        code: fault.error?.code ?? 'server_error',
        message: fault.error?.message ?? SERVER_ERROR_MESSAGE,
        param: fault.error?.param ?? null,
      };
      if (fault.shape !== 'flat') return events.frame({ type: 'error', error });
      const { type: _errorType, ...flat } = error;
      return events.frame({ type: 'error', ...flat });
    }
  }
}
