/**
 * The link of a user another node holds: what the SDK pushes to it goes over the cluster bus to
 * that node, which writes the frame to the user's socket. Closing it is that node's business.
 */
import type { NotificationName, Notifications } from '../../shared/protocol/messages';
import type { ClientLink } from '../sdk';

/** Sends one serialised notification frame to a user on a node. */
export type FrameSender = (nodeId: string, userId: number, frame: string) => void;

export class RemoteLink implements ClientLink {
  open = true;

  constructor(
    readonly remoteNode: string,
    private readonly userId: number,
    readonly ip: string,
    readonly userAgent: string,
    private readonly send: FrameSender,
  ) {}

  push<N extends NotificationName>(notification: N, data: Notifications[N]): void {
    this.sendFrame(JSON.stringify({ notification, data }));
  }

  sendFrame(frame: string): void {
    if (this.open) this.send(this.remoteNode, this.userId, frame);
  }

  /** Flow control is the holding node's: nothing waits here. */
  bufferedBytes(): number {
    return 0;
  }

  close(): void {
    this.open = false;
  }
}
