"""pbxsim internals: see ../README.md."""
