/** Shared by the ops monitors' tests: a notifier that keeps what it is sent. */
import type { OpsAlert, OpsNotifier } from '@drop/observability';

export class RecordingNotifier implements OpsNotifier {
  private readonly alerts: OpsAlert[] = [];
  async send(alert: OpsAlert): Promise<void> {
    this.alerts.push(alert);
  }
  sent(): OpsAlert[] {
    return [...this.alerts];
  }
}
