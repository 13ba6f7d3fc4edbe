// A throwaway self-signed certificate for 127.0.0.1, made at start-up.
//
// The emulator has to speak HTTPS: MSAL refuses a non-https authority, @azure/identity refuses a
// non-https authorityHost, and core-rest-pipeline's bearer-token policy refuses to send a token to
// a plain-http URL. Node can make keys but not certificates, so this file DER-encodes the few
// X.509 structures needed (one P-256 key, a CA:true self-signed certificate with a SAN for
// 127.0.0.1 and localhost). Clients trust it by passing the PEM as `ca` to an https.Agent.
import { createHash, generateKeyPairSync, sign } from "node:crypto";

export interface TlsMaterial {
  /** PEM certificate; give it to clients as their trusted CA. */
  readonly cert: string;
  /** PEM private key (PKCS#8); never leaves the emulator process. */
  readonly key: string;
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

const sequence = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items);
const octetString = (content: Buffer): Buffer => tlv(0x04, content);
const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, "utf8"));
const booleanTrue = (): Buffer => tlv(0x01, Buffer.from([0xff]));
const explicit = (n: number, content: Buffer): Buffer => tlv(0xa0 + n, content);

function integer(bytes: Buffer): Buffer {
  const positive = (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  return tlv(0x02, positive);
}

function objectId(dotted: string): Buffer {
  const parts = dotted.split(".").map(Number);
  const [first = 0, second = 0, ...rest] = parts;
  const bytes: number[] = [first * 40 + second];
  for (const part of rest) {
    const chunk: number[] = [part & 0x7f];
    for (let n = part >>> 7; n > 0; n >>>= 7) chunk.unshift((n & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function bitString(content: Buffer, unusedBits = 0): Buffer {
  return tlv(0x03, Buffer.from([unusedBits]), content);
}

function utcTime(ms: number): Buffer {
  const iso = new Date(ms).toISOString(); // 2025-01-01T00:00:00.000Z
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return tlv(0x17, Buffer.from(text, "ascii"));
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? sequence(objectId(oid), booleanTrue(), octetString(value))
    : sequence(objectId(oid), octetString(value));
}

function toPem(label: string, der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** Makes a fresh key and certificate valid for `127.0.0.1` and `localhost` for about a year. */
export function createSelfSignedCertificate(commonName = "pipewright Azure ML emulator"): TlsMaterial {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const spki = publicKey.export({ type: "spki", format: "der" });
  const ecdsaWithSha256 = sequence(objectId("1.2.840.10045.4.3.2"));
  const name = sequence(set(sequence(objectId("2.5.4.3"), utf8String(commonName))));
  const now = Date.now();
  const serial = createHash("sha256").update(spki).digest().subarray(0, 16);
  // Positive and without a leading zero byte: DER rejects both a negative serial and padding.
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  const keyId = createHash("sha1").update(spki).digest();
  const subjectAltName = sequence(
    tlv(0x87, Buffer.from([127, 0, 0, 1])), // iPAddress
    tlv(0x82, Buffer.from("localhost", "ascii")), // dNSName
  );
  const extensions = sequence(
    extension("2.5.29.19", true, sequence(booleanTrue())), // basicConstraints CA:true
    extension("2.5.29.15", true, bitString(Buffer.from([0x84]), 2)), // keyUsage digitalSignature, keyCertSign
    extension("2.5.29.37", false, sequence(objectId("1.3.6.1.5.5.7.3.1"))), // extKeyUsage serverAuth
    extension("2.5.29.14", false, octetString(keyId)), // subjectKeyIdentifier
    extension("2.5.29.17", false, subjectAltName),
  );
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    ecdsaWithSha256,
    name,
    sequence(utcTime(now - 60 * 60 * 1000), utcTime(now + 365 * 24 * 60 * 60 * 1000)),
    name,
    spki,
    explicit(3, extensions),
  );
  const signature = sign("sha256", tbs, privateKey);
  const certificate = sequence(tbs, ecdsaWithSha256, bitString(signature));
  return {
    cert: toPem("CERTIFICATE", certificate),
    key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}
