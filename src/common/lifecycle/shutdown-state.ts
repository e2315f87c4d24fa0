import { Global, Injectable, Module } from '@nestjs/common';
import { DomainError } from '../errors/domain-error.js';

/** Set once the process has been asked to stop: new work is refused, health reports it. */
@Injectable()
export class ShutdownState {
  private draining = false;

  get shuttingDown(): boolean {
    return this.draining;
  }

  begin(): void {
    this.draining = true;
  }

  assertAccepting(): void {
    if (this.draining) {
      throw new DomainError('server_shutting_down', 'The server is restarting; try again in a moment', undefined, 5);
    }
  }
}

@Global()
@Module({ providers: [ShutdownState], exports: [ShutdownState] })
export class LifecycleModule {}
