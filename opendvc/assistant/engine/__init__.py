"""The assistant's engine: intent and slot rules, retrieval over the catalog, answers composed
from the records (and, when configured, a generative wording checked against them)."""
