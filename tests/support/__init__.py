"""Test helpers shared by every area: fakes at the network edge only.

- `fake_anthropic.FakeAnthropic`: a loopback Anthropic Messages API (SSE) for the real client;
  scripts (`Reply`, `Cut`, `ErrorStatus`, `Replay`, `Echo`) and the wire format in `anthropic_sse`.
- `fixtures.fake_anthropic`: a pytest fixture yielding a started `FakeAnthropic`; import it
  into a conftest with `from tests.support.fixtures import fake_anthropic  # noqa: F401`.
"""
