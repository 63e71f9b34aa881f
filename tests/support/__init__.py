"""Test helpers shared by every area: fakes at the network edge only.

- `fake_anthropic.FakeAnthropic`: a loopback Anthropic Messages API (SSE) for the real client.
- `fixtures.fake_anthropic`: a pytest fixture yielding a started `FakeAnthropic`; import it
  into a conftest with `from tests.support.fixtures import fake_anthropic  # noqa: F401`.
"""
