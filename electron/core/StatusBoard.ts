/** Live state of every component; the console's status bar is a projection of its events. */
import { componentNames, serverMessageOf, type ComponentName, type ComponentState, type ComponentStatus } from '../../shared/status';
import { TypedEmitter } from '../util/TypedEmitter';

export class StatusBoard extends TypedEmitter<{ changed: ComponentStatus }> {
  private readonly statuses = new Map<ComponentName, ComponentStatus>();

  constructor(now = Date.now()) {
    super();
    for (const component of componentNames) {
      this.statuses.set(component, {
        component,
        serverMessage: serverMessageOf[component],
        state: 'stopped',
        errorCode: 0,
        detail: 'not started',
        since: now,
      });
    }
  }

  set(component: ComponentName, state: ComponentState, detail = '', errorCode = 0): void {
    const prev = this.statuses.get(component)!;
    if (prev.state === state && prev.detail === detail && prev.errorCode === errorCode) return;
    const next: ComponentStatus = { ...prev, state, detail, errorCode, since: Date.now() };
    this.statuses.set(component, next);
    this.emit('changed', next);
  }

  get(component: ComponentName): ComponentStatus {
    return this.statuses.get(component)!;
  }

  snapshot(): ComponentStatus[] {
    return componentNames.map((c) => this.statuses.get(c)!);
  }

  allUp(): boolean {
    return this.snapshot().every((s) => s.state === 'up' || s.state === 'degraded');
  }
}
