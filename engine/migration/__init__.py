"""Moving running cases onto another version of their process.

`realign` answers, for one loaded case, what stands in the way (`reasons`) and otherwise puts its task tree
onto the new version's specs in memory; `preview` asks that of every running case of a process without
saving anything; `migrate` moves chosen cases, one transaction per case, refreshing its projections and
auditing it, or leaves a case exactly as it was.
"""
