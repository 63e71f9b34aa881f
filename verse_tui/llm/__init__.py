"""Claude access: `client.LlmClient` (streams replies), `errors` (typed failures), `prompts`.

Importing this package never imports `anthropic` (about 1.3 s); the SDK loads on first use.
"""
