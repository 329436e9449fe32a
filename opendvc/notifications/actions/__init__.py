"""Every state change of the notifications app, one module per subject."""
