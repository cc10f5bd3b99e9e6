"""The rules every diagram is checked against, each module one family of rules."""
