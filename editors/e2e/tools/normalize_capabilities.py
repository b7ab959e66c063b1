#!/usr/bin/env python3
"""Make a recorded `initialize` params file machine-independent and stable
(keys sorted: Neovim serialises Lua tables in no fixed order).

    normalize_capabilities.py FILE "how it was recorded"

processId, rootPath, rootUri and workspaceFolders depend on the machine and the
scratch folder, so they are set to null; everything the client sends about
itself (clientInfo, capabilities, initializationOptions, …) is kept as sent.
"""
import json
import sys

path, note = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    params = json.load(f)
for key in ("processId", "rootPath", "rootUri", "workspaceFolders", "workDoneToken"):
    if key in params:
        params[key] = None
params = {"_recorded": note, **{k: v for k, v in params.items() if k != "_recorded"}}
with open(path, "w", encoding="utf-8") as f:
    json.dump(params, f, ensure_ascii=False, indent=2, sort_keys=True)
    f.write("\n")
