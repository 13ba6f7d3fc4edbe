/** Turning a data path as written (local, `file:`, datastore URI, http, asset) into a source. */
import { isAbsolute, resolve } from "node:path";
import type { DataSource } from "./plan-types.js";

const DATASTORE_URI = /^azureml:\/\/datastores\/([^/]+)\/paths\/(.*)$/;

export function dataSource(path: string, baseDir: string): DataSource {
  const datastore = DATASTORE_URI.exec(path);
  if (datastore) return { kind: "datastore", datastore: datastore[1] ?? "", path: datastore[2] ?? "", uri: path };
  if (path.startsWith("azureml:")) return { kind: "asset", ref: path };
  if (/^https?:\/\//i.test(path)) return { kind: "http", url: path };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return { kind: "unsupported", uri: path };
  const local = path.startsWith("file:") ? path.slice("file:".length).replace(/^\/\/(?=\/)/, "") : path;
  return { kind: "local", path: isAbsolute(local) ? local : resolve(baseDir, local) };
}

export function describeSource(source: DataSource): string {
  switch (source.kind) {
    case "local":
      return source.path;
    case "datastore":
      return source.uri;
    case "http":
      return source.url;
    case "asset":
      return source.ref;
    case "unsupported":
      return source.uri;
  }
}
