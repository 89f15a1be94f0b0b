import { describe, expect, it } from 'vitest';
import { Device, FakeHandler, testFakeParameters } from 'mediasoup-client';
import { EXT, canConsume, generateRouterRtpCapabilities, getConsumableRtpParameters, getConsumerRtpParameters, getProducerRtpParametersMapping } from './ortc';
import type { RtpParameters } from './types';

const caps = generateRouterRtpCapabilities();

const producerVp8: RtpParameters = {
  mid: '1',
  codecs: [
    { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: {}, rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }] },
    { mimeType: 'video/rtx', payloadType: 97, clockRate: 90000, parameters: { apt: 96 }, rtcpFeedback: [] },
  ],
  headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 9 }],
  encodings: [{ ssrc: 1111, rtx: { ssrc: 2222 } }],
  rtcp: { cname: 'abc' },
};

describe('router rtp capabilities', () => {
  it('has opus/VP8/H264 with RTX and the expected header extensions', () => {
    const mimes = caps.codecs!.map((c) => c.mimeType);
    expect(mimes).toEqual(['audio/opus', 'video/VP8', 'video/rtx', 'video/H264', 'video/rtx']);
    const opus = caps.codecs![0];
    expect(opus).toMatchObject({ clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } });
    const h264 = caps.codecs![3];
    expect(h264.parameters).toMatchObject({ 'packetization-mode': 1, 'profile-level-id': '42e01f' });
    expect(caps.codecs![4].parameters).toEqual({ apt: h264.preferredPayloadType });
    const uris = new Set(caps.headerExtensions!.map((e) => e.uri));
    for (const u of [
      'urn:ietf:params:rtp-hdrext:sdes:mid',
      'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
      'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
    ])
      expect(uris.has(u as never)).toBe(true);
  });

  it('offers transport-wide-cc (video both ways, audio towards the router) and transport-cc feedback', () => {
    const twcc = caps.headerExtensions!.filter((e) => e.uri === EXT.TRANSPORT_CC);
    expect(twcc).toEqual([
      expect.objectContaining({ kind: 'audio', preferredId: 5, direction: 'recvonly' }),
      expect.objectContaining({ kind: 'video', preferredId: 5, direction: 'sendrecv' }),
    ]);
    for (const c of caps.codecs!.filter((x) => !x.mimeType.endsWith('/rtx'))) expect(c.rtcpFeedback).toContainEqual({ type: 'transport-cc', parameter: '' });
  });

  it('consumers get one estimation: transport-cc (not REMB) on video, REMB when the viewer lacks transport-cc, none on audio', () => {
    const mapping = getProducerRtpParametersMapping(producerVp8, caps);
    const consumable = getConsumableRtpParameters('video', producerVp8, caps, mapping);
    const withTwcc = getConsumerRtpParameters(consumable, caps);
    expect(withTwcc.headerExtensions!.map((e) => e.uri)).toContain(EXT.TRANSPORT_CC);
    expect(withTwcc.codecs[0].rtcpFeedback!.map((f) => f.type)).toContain('transport-cc');
    expect(withTwcc.codecs[0].rtcpFeedback!.map((f) => f.type)).not.toContain('goog-remb');
    const noTwccCaps = { ...caps, headerExtensions: caps.headerExtensions!.filter((e) => e.uri !== EXT.TRANSPORT_CC) };
    const remb = getConsumerRtpParameters(consumable, noTwccCaps);
    expect(remb.codecs[0].rtcpFeedback!.map((f) => f.type)).toContain('goog-remb');
    expect(remb.codecs[0].rtcpFeedback!.map((f) => f.type)).not.toContain('transport-cc');
    const opusProducer: RtpParameters = {
      codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
      headerExtensions: [{ uri: EXT.TRANSPORT_CC, id: 5 }],
      encodings: [{ ssrc: 5 }],
    };
    const audio = getConsumableRtpParameters('audio', opusProducer, caps, getProducerRtpParametersMapping(opusProducer, caps));
    const audioConsumer = getConsumerRtpParameters(audio, caps);
    expect(audioConsumer.headerExtensions!.map((e) => e.uri)).not.toContain(EXT.TRANSPORT_CC);
    expect(audioConsumer.codecs[0].rtcpFeedback).toEqual([]);
  });

  it('mediasoup-client Device.load accepts them (FakeHandler)', async () => {
    const device = new Device({ handlerFactory: FakeHandler.createFactory(testFakeParameters) });
    await device.load({ routerRtpCapabilities: caps });
    expect(device.loaded).toBe(true);
    expect(device.canProduce('audio')).toBe(true);
    expect(device.canProduce('video')).toBe(true);
    // the device's receive capabilities are consumable
    const mapping = getProducerRtpParametersMapping(producerVp8, caps);
    const consumable = getConsumableRtpParameters('video', producerVp8, caps, mapping);
    expect(canConsume(consumable, device.rtpCapabilities)).toBe(true);
    const consumerParams = getConsumerRtpParameters(consumable, device.rtpCapabilities);
    expect(consumerParams.codecs[0].mimeType).toBe('video/VP8');
  });
});

describe('producer mapping / consumer params', () => {
  it('maps producer PTs and SSRCs into router space', () => {
    const mapping = getProducerRtpParametersMapping(producerVp8, caps);
    const vp8Pt = caps.codecs![1].preferredPayloadType;
    const rtxPt = caps.codecs![2].preferredPayloadType;
    expect(mapping.codecs).toEqual(
      expect.arrayContaining([
        { payloadType: 96, mappedPayloadType: vp8Pt },
        { payloadType: 97, mappedPayloadType: rtxPt },
      ]),
    );
    expect(mapping.encodings[0].ssrc).toBe(1111);
    expect(mapping.encodings[0].mappedSsrc).not.toBe(1111);
  });

  it('rejects unsupported codecs and too many encodings', () => {
    expect(() => getProducerRtpParametersMapping({ ...producerVp8, codecs: [{ mimeType: 'video/VP9', payloadType: 98, clockRate: 90000 }] }, caps)).toThrow(
      /unsupported codec/,
    );
    expect(() => getProducerRtpParametersMapping({ ...producerVp8, encodings: [{ rid: 'a' }, { rid: 'b' }, { rid: 'c' }, { rid: 'd' }] }, caps)).toThrow(
      /at most 3/,
    );
  });

  it('consumer params: one codec + RTX, fresh SSRCs, H264 profile check', () => {
    const mapping = getProducerRtpParametersMapping(producerVp8, caps);
    const consumable = getConsumableRtpParameters('video', producerVp8, caps, mapping);
    const p = getConsumerRtpParameters(consumable, caps);
    expect(p.codecs.map((c) => c.mimeType)).toEqual(['video/VP8', 'video/rtx']);
    expect(p.encodings![0].ssrc).toBeTypeOf('number');
    expect(p.encodings![0].rtx?.ssrc).toBeTypeOf('number');
    expect(p.headerExtensions!.some((e) => e.uri === 'urn:ietf:params:rtp-hdrext:sdes:mid')).toBe(true);
    const noRtx = getConsumerRtpParameters(consumable, { ...caps, codecs: caps.codecs!.filter((c) => c.mimeType !== 'video/rtx') });
    expect(noRtx.codecs.map((c) => c.mimeType)).toEqual(['video/VP8']);
    expect(noRtx.encodings![0].rtx).toBeUndefined();
    const h264High = {
      ...caps,
      codecs: [
        {
          kind: 'video' as const,
          mimeType: 'video/H264',
          clockRate: 90000,
          preferredPayloadType: 103,
          parameters: { 'packetization-mode': 1, 'profile-level-id': '640032' },
        },
      ],
    };
    const h264Prod: RtpParameters = {
      codecs: [{ mimeType: 'video/H264', payloadType: 102, clockRate: 90000, parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' } }],
      encodings: [{ ssrc: 5 }],
    };
    const hc = getConsumableRtpParameters('video', h264Prod, caps, getProducerRtpParametersMapping(h264Prod, caps));
    expect(canConsume(hc, h264High)).toBe(false);
    expect(canConsume(hc, caps)).toBe(true);
  });
});
