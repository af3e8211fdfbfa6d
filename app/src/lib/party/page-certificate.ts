/**
 * One DTLS certificate for every transport of the page, made before the first join (or the host's
 * `createSession`): its fingerprint is then known up front, so the edge can connect the transport
 * in the same exchange and the browser's DTLS handshake waits for no `connectTransport` round trip.
 * The invite page's head script makes it (`early-socket.ts`) while the socket opens; other pages
 * make it on first use.
 */
import { DtlsFingerprintSchema, type DtlsParameters } from '@dmp-party/protocol';

declare global {
  interface Window {
    /** The certificate the invite page's head script made (undefined where it could not). */
    __partyCertificate?: Promise<RTCCertificate | undefined>;
  }
}

/** The fingerprint algorithms the protocol accepts (the edge refuses a join with any other). */
export const DTLS_FINGERPRINT_ALGORITHMS: readonly string[] = DtlsFingerprintSchema.shape.algorithm.options;

/**
 * The certificate's DTLS parameters as the browser presents them: mediasoup-client takes the
 * client role on send and receive transports alike.
 */
export function pageDtlsParameters(certificate: RTCCertificate): DtlsParameters | undefined {
  const fingerprints = certificate
    .getFingerprints()
    .filter(
      (print) => print.algorithm && print.value && DTLS_FINGERPRINT_ALGORITHMS.includes(print.algorithm),
    )
    .map((print) => ({
      algorithm: print.algorithm as DtlsParameters['fingerprints'][number]['algorithm'],
      value: (print.value as string).toUpperCase(),
    }));
  return fingerprints.length > 0 ? { role: 'client', fingerprints } : undefined;
}

let certificate: Promise<RTCCertificate | undefined> | undefined;

/** The page's certificate: the head script's, else one made now (ECDSA P-256, as browsers do). */
export function pageCertificate(): Promise<RTCCertificate | undefined> {
  certificate ??=
    window.__partyCertificate ??
    RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' } as EcKeyGenParams).catch(
      () => undefined,
    );
  return certificate;
}

/** The same role and certificate fingerprints (hex compared without regard to case). */
export function sameDtls(a: DtlsParameters, b: DtlsParameters): boolean {
  const prints = (dtls: DtlsParameters) =>
    dtls.fingerprints
      .map((print) => `${print.algorithm} ${print.value.toUpperCase()}`)
      .sort()
      .join();
  return (a.role ?? 'auto') === (b.role ?? 'auto') && prints(a) === prints(b);
}
