// The WebSocket to the server's /lsp, reconnecting when the server goes away. Messages
// sent while there is no connection are dropped: on reconnection the LSP client
// initializes again and reopens the draft with its whole current text.

import type { Transport } from "@codemirror/lsp-client";

export class Connection {
  private socket: WebSocket | null = null;
  private handlers: ((message: string) => void)[] = [];
  private delay = 250;
  /** Called when a connection is open (first time and after each reconnection). */
  onOpen: () => void = () => {};
  /** Called when an open connection is lost, or an attempt fails. */
  onClose: () => void = () => {};

  constructor(private url: string) {}

  get open(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  start(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.delay = 250;
      this.onOpen();
    };
    socket.onmessage = (e) => {
      const data = String(e.data);
      for (const h of this.handlers) h(data);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.onClose();
      setTimeout(() => this.start(), this.delay);
      this.delay = Math.min(this.delay * 2, 2000);
    };
  }

  readonly transport: Transport = {
    send: (message: string) => {
      if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(message);
    },
    subscribe: (handler) => {
      this.handlers.push(handler);
    },
    unsubscribe: (handler) => {
      this.handlers = this.handlers.filter((h) => h !== handler);
    },
  };
}
