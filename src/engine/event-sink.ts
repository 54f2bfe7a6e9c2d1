/**
 * {@link EventSink}: delivers an execution's events to its listeners and observers, and flushes the
 * observers once per scheduler turn. A listener that throws is reported with `process.emitWarning` and
 * otherwise ignored: a broken display never breaks a run.
 * @module
 */

import { errorMessage } from '../model/errors.js';
import type { ExecutionEvent, ExecutionListener, ExecutionObserver } from './events.js';

/** The listeners and observers of one execution. */
export class EventSink {
  /** Whether anyone listens; when false, the engine does not even build events. */
  readonly active: boolean;
  private dirty = false;
  private readonly reported = new Set<unknown>();

  constructor(
    private readonly listeners: readonly ExecutionListener[],
    private readonly observers: readonly ExecutionObserver[],
  ) {
    this.active = listeners.length > 0 || observers.length > 0;
  }

  /** Delivers one event to every listener, then every observer. */
  emit(event: ExecutionEvent): void {
    this.dirty = true;
    // Indexed loops: this runs several times per task, and V8's baseline code makes an iterator for `of`.
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) {
      const listener = listeners[i]!;
      try {
        listener(event);
      } catch (error) {
        this.report(listener, error, event.type);
      }
    }
    const observers = this.observers;
    for (let i = 0; i < observers.length; i++) {
      const observer = observers[i]!;
      try {
        observer.onEvent(event);
      } catch (error) {
        this.report(observer, error, event.type);
      }
    }
  }

  /** Ends a scheduler turn: flushes every observer when events were emitted since the last flush. */
  flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    for (const observer of this.observers) {
      if (!observer.flush) continue;
      try {
        observer.flush();
      } catch (error) {
        this.report(observer, error, 'flush');
      }
    }
  }

  private report(who: unknown, error: unknown, during: string): void {
    if (this.reported.has(who)) return;
    this.reported.add(who);
    process.emitWarning(`an execution listener threw during ${during}: ${errorMessage(error)}`, {
      code: 'JORM_LISTENER_ERROR',
    });
  }
}
