"""Training commands: each retrains one shipped model from ../shared/data with a fixed seed."""
