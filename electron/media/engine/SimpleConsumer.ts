/** A consumer of a single-stream producer: audio flows as is; video starts (and restarts) at a keyframe. */
import type { RtpParameters } from '../types';
import { Consumer } from './Consumer';
import type { Producer } from './Producer';
import type { EngineScope, ForwardPacket, ProducerStream, RtpSender } from './types';

export class SimpleConsumer extends Consumer {
  private waitingKeyframe: boolean;

  constructor(scope: EngineScope, transport: RtpSender, id: string, producer: Producer, rtpParameters: RtpParameters, paused: boolean) {
    super(scope, transport, id, producer, rtpParameters, paused);
    this.waitingKeyframe = producer.kind === 'video';
  }

  protected override restart() {
    super.restart();
    if (this.producer.kind === 'video') {
      this.waitingKeyframe = true;
      this.producer.requestKeyFrame(0);
    }
  }

  onPacket(fp: ForwardPacket, _stream: ProducerStream, now: number) {
    if (!this.active) return;
    if (this.waitingKeyframe) {
      if (!fp.keyframe) {
        this.producer.requestKeyFrame(0);
        return;
      }
      this.waitingKeyframe = false;
    }
    this.forward(fp, now);
  }

  onPadding(seq: number) {
    if (!this.waitingKeyframe) this.rewriter.skip(seq);
  }

  protected keyFrameLayer() {
    return 0;
  }

  maybeSwitchLayer() {}

  setPreferredLayers() {}
}
