// Drafts kept in the browser (IndexedDB; localStorage where IndexedDB is unavailable),
// so nothing typed is lost when the page is closed or the server restarts.

export interface Draft {
  id: string;
  /** Shown in the list and used for downloads; derived from the first line until set. */
  name: string;
  /** Whether the writer (or an opened file) gave the name. */
  named: boolean;
  text: string;
  /** The text as first opened or pasted: the base for downloads that show changes. */
  original: string;
  /** The text at the last download (or as opened from a file): leaving warns otherwise. */
  downloaded: string;
  updated: number;
}

const DB_NAME = "jianggao";
const STORE = "drafts";
const CURRENT_KEY = "jianggao.currentDraft";
const FALLBACK_KEY = "jianggao.drafts";

interface Backend {
  all(): Promise<Draft[]>;
  put(d: Draft): Promise<void>;
  remove(id: string): Promise<void>;
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

async function indexedDbBackend(): Promise<Backend> {
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: "id" });
  const db = await request(open);
  const store = (mode: IDBTransactionMode) => db.transaction(STORE, mode).objectStore(STORE);
  const done = (tx: IDBTransaction) =>
    new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  return {
    all: () => request(store("readonly").getAll() as IDBRequest<Draft[]>),
    put: (d) => {
      const s = store("readwrite");
      s.put(d);
      return done(s.transaction);
    },
    remove: (id) => {
      const s = store("readwrite");
      s.delete(id);
      return done(s.transaction);
    },
  };
}

function localStorageBackend(): Backend {
  const read = (): Record<string, Draft> => {
    try {
      return JSON.parse(localStorage.getItem(FALLBACK_KEY) || "{}");
    } catch {
      return {};
    }
  };
  const write = (all: Record<string, Draft>) => localStorage.setItem(FALLBACK_KEY, JSON.stringify(all));
  return {
    all: async () => Object.values(read()),
    put: async (d) => {
      const all = read();
      all[d.id] = d;
      write(all);
    },
    remove: async (id) => {
      const all = read();
      delete all[id];
      write(all);
    },
  };
}

export class DraftStore {
  private constructor(private backend: Backend, readonly persistent: string) {}

  static async open(): Promise<DraftStore> {
    try {
      return new DraftStore(await indexedDbBackend(), "IndexedDB");
    } catch (e) {
      console.warn("IndexedDB unavailable, using localStorage", e);
      return new DraftStore(localStorageBackend(), "localStorage");
    }
  }

  /** Most recently edited first. */
  async list(): Promise<Draft[]> {
    const all = await this.backend.all();
    return all.sort((a, b) => b.updated - a.updated);
  }

  save(d: Draft): Promise<void> {
    return this.backend.put(d);
  }

  remove(id: string): Promise<void> {
    return this.backend.remove(id);
  }

  get currentId(): string | null {
    return localStorage.getItem(CURRENT_KEY);
  }

  set currentId(id: string | null) {
    if (id) localStorage.setItem(CURRENT_KEY, id);
    else localStorage.removeItem(CURRENT_KEY);
  }
}

export function newDraft(text = "", name = "", original = text): Draft {
  const id = Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
  return {
    id,
    name: name || titleOf(text),
    named: !!name,
    text,
    original,
    downloaded: name ? text : "",
    updated: Date.now(),
  };
}

/** The first non-empty line, short: a draft's title. */
export function titleOf(text: string): string {
  const line = text
    .split(/\r\n?|\n/)
    .map((l) => l.replace(/^[\s#　]+/, "").trim())
    .find((l) => l.length > 0);
  if (!line) return "未命名草稿";
  return line.length > 24 ? line.slice(0, 24) + "…" : line;
}
