"""The sandbox every condition, script, timer expression and decision-table cell of a diagram runs in.

* :mod:`.policy` compiles under RestrictedPython's policy (no imports, no ``_`` names, no dangerous calls)
  and knows which expressions are cheap enough to evaluate in the server's own process;
* :mod:`.guards` are the run-time guards and builtins a script sees;
* :mod:`.runner` runs compiled code with those guards (inside a worker process);
* :mod:`.worker` is that worker process, limited by the operating system, and :mod:`.pool` the server's
  side of it: a few long-lived workers, stopped and replaced when a script runs past its limit;
* :mod:`.environment` is SpiffWorkflow's script environment and engine built on all of it.

Modules import from the submodule that holds a name; this package itself imports nothing, so a worker
process loads only what it needs.
"""
