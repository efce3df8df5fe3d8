import { EventEmitter } from "node:events";

export interface GenerationEvent {
  generation: number;
}

/** In-process fan-out of committed changes (fed by the store's LISTEN connection). */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every SSE client and console tab subscribes; the default cap of 10 would warn.
    this.emitter.setMaxListeners(0);
  }

  emitGeneration(e: GenerationEvent): void {
    this.emitter.emit("generation", e);
  }

  onGeneration(listener: (e: GenerationEvent) => void): () => void {
    this.emitter.on("generation", listener);
    return () => this.emitter.off("generation", listener);
  }
}
