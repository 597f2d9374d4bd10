"""Drives a Jupyter kernel the way a front end does, for test/jupyter/*.test.ts.

  kernel_client.py order KERNEL DIR        two cells queued at once; prints the iopub status and
                                           shell reply messages in the order they arrived (JSON)
  kernel_client.py run KERNEL NOTEBOOK OUT I,J,...
                                           executes the notebook's cells in the order given, in one
                                           kernel session (indices may repeat: a cell run again),
                                           and saves the notebook with its outputs to OUT
"""
import json
import os
import sys
import time

import nbformat
from jupyter_client import KernelManager
from nbclient import NotebookClient


def order(kernel, cwd):
    km = KernelManager(kernel_name=kernel)
    km.start_kernel(cwd=cwd)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        while True:  # drop the start-up messages
            try:
                kc.get_iopub_msg(timeout=1)
            except Exception:
                break
        cells = ['await new Promise((r) => setTimeout(r, 1500)); 1', '2']
        ids = [kc.execute(code) for code in cells]
        events, replies, idles = [], 0, 0
        deadline = time.time() + 120
        while (replies < 2 or idles < 2) and time.time() < deadline:
            try:
                m = kc.get_iopub_msg(timeout=0.05)
                parent = m['parent_header'].get('msg_id')
                if m['msg_type'] == 'status' and parent in ids:
                    state = m['content']['execution_state']
                    events.append([state, ids.index(parent)])
                    idles += state == 'idle'
            except Exception:
                pass
            try:
                m = kc.get_shell_msg(timeout=0.05)
                if m['parent_header'].get('msg_id') in ids:
                    events.append(['reply', ids.index(m['parent_header']['msg_id'])])
                    replies += 1
            except Exception:
                pass
        print(json.dumps(events))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def run(kernel, notebook, out, indices):
    nb = nbformat.read(notebook, as_version=4)
    # The kernel starts in the notebook's folder, as Jupyter starts it.
    client = NotebookClient(nb, kernel_name=kernel, timeout=600, resources={'metadata': {'path': os.path.dirname(os.path.abspath(notebook))}})
    with client.setup_kernel():
        for i in indices:
            client.execute_cell(nb.cells[i], i)
    nbformat.write(nb, out)


if __name__ == '__main__':
    if sys.argv[1] == 'order':
        order(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == 'run':
        run(sys.argv[2], sys.argv[3], sys.argv[4], [int(i) for i in sys.argv[5].split(',')])
    else:
        sys.exit(f'unknown command {sys.argv[1]!r}')
